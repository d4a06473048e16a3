"""docs/findings-format.md, the registered checks and the modules in checks/ name the same check ids."""

import re
from pathlib import Path

import checks

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "findings-format.md"


def documented_ids() -> set[str]:
    text = DOC.read_text(encoding="utf-8")
    section = text.split("\n## Checks\n", 1)[1].split("\n## ", 1)[0]
    return set(re.findall(r"^### `([a-z_]+)`", section, flags=re.MULTILINE))


def module_ids() -> set[str]:
    """A check is a module of checks/, or a package there when it has helpers of its own."""
    modules = {p.stem for p in (ROOT / "checks").glob("*.py")} - {"__init__", "base"}
    return modules | {p.parent.name for p in (ROOT / "checks").glob("*/__init__.py")}


def test_registered_ids_modules_and_documented_ids_are_the_same_set() -> None:
    registered = set(checks.CHECK_MODULES)
    assert registered == set(checks.BY_ID)
    assert registered == module_ids()
    assert registered == documented_ids()
    assert len(registered) == 13


def test_every_check_id_equals_its_module_name() -> None:
    for name in checks.CHECK_MODULES:
        assert checks.BY_ID[name].__class__.__module__ == f"checks.{name}"
