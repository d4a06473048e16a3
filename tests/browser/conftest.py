"""The served workbench of tests/web, for the browser tests."""

from tests.web.conftest import make_workbench  # noqa: F401  (a fixture)
