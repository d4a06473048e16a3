"""Settings: typed models (types and bounds only) and their loading from the shipped
``defaults.toml`` (the top-level ``settings.toml``), a user's file and ``GOVMON_*`` variables.

May import ``monitor.model``. Cross-checks against the registered checks live above, in
``monitor.judge.validate``, passed in as validators.
"""
