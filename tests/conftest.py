"""Shared fixtures and test-run rules."""

from __future__ import annotations

import os

import pytest

# The sandbox worlds' "external" sites are other 127.0.0.1 ports: tests (and the govmon
# subprocesses they start, which inherit this) allow private addresses, as the demo and the
# benchmarks do. Tests of the refusal set allow_private = false explicitly.
os.environ.setdefault("GOVMON_CRAWL__ALLOW_PRIVATE", "true")

#: Per-test limit for tests marked ``slow`` (they run govmon or pip in a subprocess on a machine
#: that may be busy); every other test has pyproject's ``timeout`` (300 s).
SLOW_TIMEOUT = 900


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """A ``slow`` test without its own ``timeout`` mark gets ``SLOW_TIMEOUT``."""
    for item in items:
        if item.get_closest_marker("slow") and not item.get_closest_marker("timeout"):
            item.add_marker(pytest.mark.timeout(SLOW_TIMEOUT))
