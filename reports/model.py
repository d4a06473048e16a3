"""The notice (通报) as data: ``build_report`` turns a stored findings document into a
``ReportModel`` that the HTML and DOCX renderers only lay out (they never reread the database).

Everything the notice says is computed here from the document's targets: totals, pass
rates, the named problems, the repeat offenders (from earlier months' documents), the
attachment tables. Dates come from the document's as-of and the arguments — no clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from monitor.config.settings import ReportSettings
from monitor.pages.xmlsafe import xml_safe, xml_safe_tree
from reports.body import BodyContext, Paragraph, Span, build_body
from reports.evidence import Evidence, check_claim, check_unclaimed, collect
from reports.figures import Tally, tally
from reports.history import Rectified, Repeat, find_repeats
from reports.layout import (
    AttachmentLine,
    SignatureIndent,
    attachment_lines,
    head_kind,
    normalize_doc_number,
    signature_indents,
    split_title,
)
from reports.review import ReviewModel, build_review
from reports.tables import Attachment, build_attachments, verify_table
from reports.wording import as_day, cn_date

BASIS = ("按照《政府网站发展指引》（国办发〔2017〕47号）、《政府网站与政务新媒体检查指标》"
         "（国办秘函〔2019〕19号）及{extra}，{office}对{scope}政府网站和政务新媒体{month}运行情况进行了检查，"
         "现将有关情况通报如下：")


@dataclass(frozen=True, slots=True)
class ReportModel:
    period: str
    as_of: date
    issue_date: date
    deadline: date
    office: str
    title: str
    title_lines: tuple[str, ...]
    doc_number: str | None
    head: str  # letter | file | none
    recipients: str
    paragraphs: tuple[Paragraph, ...]
    attachments: tuple[Attachment, ...]
    attachment_note: tuple[AttachmentLine, ...]
    signature: str
    date_text: str
    signature_indent: SignatureIndent
    disclosure: str
    sites: Tally
    accounts: Tally
    repeats: tuple[Repeat, ...]
    evidence: Evidence
    stated_checks: frozenset[str]
    review: ReviewModel  # the office's checklist of what the findings do not prove

    @property
    def body_text(self) -> str:
        """The whole 正文 as plain text (for search and tests)."""
        return "\n".join(p.text for p in self.paragraphs)

    def verify(self) -> None:
        """Raise ``UnprovenStatement`` for any span or table row naming a unit without the findings
        that prove what it says (``reports.evidence``); the renderers call this first."""
        for paragraph in self.paragraphs:
            for span in paragraph.spans:
                if span.claim is None:
                    check_unclaimed(span.text, self.evidence)
                else:
                    check_claim(span.claim, span.text, self.evidence, self.stated_checks)
        for attachment in self.attachments:
            verify_table(attachment, self.evidence, self.stated_checks)
        self.review.verify(self.evidence, self.stated_checks)


def resolve_doc_number(cli_value: str | None, settings: ReportSettings, issue: date, month: int) -> str | None:
    """--doc-number, else the fixed number in settings, else the pattern ({year} {month} {seq} {short})."""
    if cli_value:
        return normalize_doc_number(cli_value)
    if settings.doc_number:
        return normalize_doc_number(settings.doc_number)
    pattern = settings.doc_number_pattern
    if not pattern or ("{seq}" in pattern and settings.doc_number_seq <= 0):
        return None
    text = pattern.format(year=issue.year, month=month, seq=settings.doc_number_seq, short=settings.office_short)
    return normalize_doc_number(text)


def build_report(document: dict[str, Any], *, history: list[dict[str, Any]], settings: ReportSettings,
                 doc_number: str | None = None, issue_date: date | None = None,
                 rectification: dict[tuple[str, str], Rectified] | None = None,
                 deadline: date | None = None) -> ReportModel:
    """The notice of one period from its findings document and the documents of earlier months.

    Text enters the notice here, so XML-illegal characters (a control character in a crawled
    column name or a pasted registry name) are removed here, once, for every writer.
    """
    document, history = xml_safe_tree(document), [xml_safe_tree(h) for h in history]
    settings = settings.model_validate(xml_safe_tree(settings.model_dump()))
    doc_number = None if doc_number is None else xml_safe(doc_number)
    as_of = as_day(document.get("as_of"))
    if as_of is None:
        raise ValueError(f"findings document of {document.get('period')!r}: as_of missing or not a date")
    period = str(document.get("period") or f"{as_of.year:04d}-{as_of.month:02d}")
    year, month = (int(p) for p in period.split("-"))
    issue = issue_date or as_of + timedelta(days=settings.issue_offset_days)
    deadline = deadline or issue + timedelta(days=settings.rectification_days)
    number = resolve_doc_number(doc_number, settings, issue, month)
    office = settings.office or "（发文机关）"
    segments = [office, "关于", f"{year}年{month}月份", settings.scope, "政府网站和政务新媒体", "检查情况的通报"]
    names = settings.platform_names
    repeats = find_repeats(document, history, rectification)
    evidence = collect(document)
    ctx = BodyContext(document=document, settings=settings, as_of=as_of, deadline=deadline, names=names,
                      repeats=repeats, month_text=f"{year}年{month}月份")
    basis = BASIS.format(extra=settings.basis_extra, office=office, scope=settings.scope, month=ctx.month_text)
    attachments = build_attachments(document, as_of=as_of, names=names, repeats=repeats,
                                    max_evidence=settings.max_evidence_urls)
    date_text = cn_date(issue)
    stated = frozenset(settings.stated_notices)
    review = build_review(document, as_of=as_of, names=names, stated=stated, office=office, date_text=date_text,
                          title=[ctx.month_text, settings.scope, "政府网站和政务新媒体", "检查需核实事项清单"])
    return ReportModel(
        period=period, as_of=as_of, issue_date=issue, deadline=deadline, office=office,
        title="".join(segments), title_lines=split_title(segments), doc_number=number,
        head=head_kind(number, settings.head), recipients=settings.recipients,
        paragraphs=(Paragraph((Span(basis),)),) + tuple(build_body(ctx)),
        attachments=tuple(attachments),
        attachment_note=tuple(attachment_lines([a.title for a in attachments])),
        signature=office, date_text=date_text, signature_indent=signature_indents(office, date_text),
        disclosure=settings.disclosure,
        sites=tally(list(document.get("sites") or [])), accounts=tally(list(document.get("accounts") or [])),
        repeats=tuple(sorted(repeats.values(), key=lambda r: (r.kind != "site", r.id))),
        evidence=evidence, stated_checks=stated, review=review,
    )
