"""The office's workbench (``govmon serve``): pages over the store to review findings with their
evidence, record decisions and download the reviewed notice. Routes and templates only: what the
reviewed state is comes from ``monitor.judge.review``, the notice from ``reports``."""

from monitor.web.app import create_app

__all__ = ["create_app"]
