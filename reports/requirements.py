"""三、下一步工作要求: rendered from an editable jinja2 text template.

The bundled ``templates/requirements.txt.j2`` is the default; ``[report] requirements_template``
points at a user's copy. Offices pass templates around, so they render in Jinja's sandbox: a
template reaching for ``__class__``, ``__subclasses__`` and the like is a ``ConfigError``. Blocks separated by blank lines become paragraphs; a block opening
with （一）…。 is split into its run-in heading and the text after it.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from monitor.config.settings import ReportSettings
from monitor.model.errors import ConfigError
from monitor.pages.xmlsafe import xml_safe
from reports.wording import cn_date

TEMPLATES = Path(__file__).resolve().parent / "templates"
DEFAULT_TEMPLATE = TEMPLATES / "requirements.txt.j2"
RUN_IN = re.compile(r"^(（[一二三四五六七八九十]+）[^。；：]{1,30}。)(.*)$", re.S)


def contacts_sentence(name: str, phone: str, email: str) -> str:
    """联系人：…；联系电话：…；电子邮箱：…。 — only the parts that are set."""
    parts = [f"{label}：{value}" for label, value in (("联系人", name), ("联系电话", phone), ("电子邮箱", email)) if value]
    return "；".join(parts) + "。" if parts else ""


def _template(path: Path) -> jinja2.Template:
    try:
        source = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"report.requirements_template: cannot read {path}: {exc.strerror}") from None
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, keep_trailing_newline=True)
    try:
        return env.from_string(source)
    except jinja2.TemplateSyntaxError as exc:
        raise ConfigError(f"{path}:{exc.lineno}: template syntax error: {exc.message}") from None


def render_requirements(s: ReportSettings, document: dict[str, Any], *, month_text: str, deadline: date,
                        repeats: int) -> list[tuple[str, str]]:
    """(run-in heading or "", text) per paragraph of 三、下一步工作要求."""
    path = Path(s.requirements_template).expanduser() if s.requirements_template else DEFAULT_TEMPLATE
    failing = [t for key in ("sites", "accounts") for t in document.get(key) or [] if t.get("verdict") == "fail"]
    values = {
        "office": s.office, "city": s.city, "scope": s.scope, "month_text": month_text,
        "deadline": cn_date(deadline), "report_to": s.report_to,
        "contacts": contacts_sentence(s.contact_name, s.contact_phone, s.contact_email),
        "sites_failed": sum(1 for t in document.get("sites") or [] if t.get("verdict") == "fail"),
        "accounts_failed": sum(1 for t in document.get("accounts") or [] if t.get("verdict") == "fail"),
        "repeats": repeats, "has_attachments": bool(failing),
    }
    try:
        text = xml_safe(_template(path).render(**values))
    except SecurityError as exc:
        raise ConfigError(f"{path}: template refused by the sandbox: {exc.message} "
                          "(a requirements template may only use the listed values)") from None
    except jinja2.UndefinedError as exc:
        raise ConfigError(f"{path}: {exc.message} (known: {', '.join(sorted(values))})") from None
    except jinja2.TemplateError as exc:
        raise ConfigError(f"{path}: template error: {exc.message}") from None
    out = []
    for block in re.split(r"\n\s*\n", text):
        joined = "".join(line.strip() for line in block.splitlines())
        if not joined:
            continue
        match = RUN_IN.match(joined)
        out.append((match.group(1), match.group(2)) if match else ("", joined))
    return out
