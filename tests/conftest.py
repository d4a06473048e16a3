"""Shared fixtures."""

import os

# The sandbox worlds' "external" sites are other 127.0.0.1 ports: tests (and the govmon
# subprocesses they start, which inherit this) allow private addresses, as the demo and the
# benchmarks do. Tests of the refusal set allow_private = false explicitly.
os.environ.setdefault("GOVMON_CRAWL__ALLOW_PRIVATE", "true")
