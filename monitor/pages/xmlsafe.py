"""Text safe for XML: the characters XML 1.0 cannot carry, removed.

A C0 control character in a crawled column name (``\\x01``) or a registry name pasted from Word
(``\\x08``) made the DOCX writer raise and lost the month's notice. They are removed once where
text enters govmon — at extraction (page text, titles, column names) and where a findings
document enters the report model — so nothing downstream has to guard against them.
Removed: C0 controls except tab, newline and carriage return; U+FFFE and U+FFFF; surrogate code
points (a Python ``str`` holds them only unpaired, e.g. from ``surrogateescape`` decoding).
"""

from __future__ import annotations

import re
from typing import Any

XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    """``text`` without XML-illegal characters (the same object when it has none)."""
    return XML_ILLEGAL.sub("", text) if XML_ILLEGAL.search(text) else text


def xml_safe_tree(value: Any) -> Any:
    """``value`` with every string inside (dict keys and values, list and tuple items) made ``xml_safe``."""
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, dict):
        return {xml_safe_tree(k): xml_safe_tree(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(xml_safe_tree(v) for v in value)
    return value
