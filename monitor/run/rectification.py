"""Issuing a month's notice (cases open, deadlines set) and re-checking a notified unit now.

``issue``: every unit the stored inspection failed gets a case, its fault findings kept in the
case, its deadline ``[rectification] working_days`` working days after the date of issue.
``recheck``: the unit's checks run again now — a site is crawled and judged like ``govmon check``
(the crawl is stored like any other), an account is polled and judged over its stored history —
and the case records fixed / not fixed from positive evidence only (``judge_recheck``).
The clock is read by the CLI only: ``now`` and the dates are given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from monitor.config.settings import Settings
from monitor.judge.rectification import FAULT, RecheckVerdict, add_working_days, chinese_workday, judge_recheck
from monitor.model.document import FAIL, verdict_of
from monitor.model.errors import GovmonError, RegistryError
from monitor.model.period import Period
from monitor.registry.model import Registry
from monitor.store.rectification import Case, Event, NoticeIssue
from monitor.store.store import Store

KINDS = (("site", "sites"), ("account", "accounts"))


def failing_units(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, id, detail) of every unit the document fails; detail keeps its fault findings."""
    out = []
    for kind, key in KINDS:
        for target in document.get(key) or []:
            if verdict_of(target) != FAIL:
                continue
            faults = [{k: f.get(k) for k in ("id", "check", "severity", "url", "message") if f.get(k) is not None}
                      for f in target.get("findings") or [] if str(f.get("severity")) in FAULT]
            out.append((kind, str(target.get("id")), {"name": target.get("name", ""), "reason": target.get("reason", ""),
                                                        "findings": faults}))
    return out


def issue(store: Store, month: str, settings: Settings, *, by: str, issued_on: date, now: datetime,
          note: str = "") -> tuple[NoticeIssue, list[tuple[str, str, dict[str, Any]]]]:
    """Record the notice of ``month`` as issued on ``issued_on``: cases for the units its reviewed
    state fails (review decisions applied, as in the rendered notice)."""
    if not by.strip():
        raise GovmonError("--by: name who issues the notice")
    from monitor.run.report import reviewed_inspection

    units = failing_units(reviewed_inspection(store, month, settings))  # the notice's units: the reviewed state
    days = settings.rectification.working_days
    deadline = add_working_days(issued_on, days, chinese_workday)
    store.issue_notice(month, issued_on=issued_on, deadline=deadline, working_days=days, by=by, at=now,
                       units=units, note=note)
    issued = store.notice_issue(month)
    assert issued is not None
    return issued, units


def open_case(store: Store, target_id: str, month: str | None) -> Case:
    """The unit's case of ``month``, or its latest case; a clear error when it has none."""
    cases = store.cases(period=month, target_id=target_id)
    if not cases:
        where = f" for {month}" if month else ""
        raise GovmonError(f"no rectification case{where} for target {target_id} "
                          "(cases open when a month's notice is issued: govmon notice issue --month YYYY-MM)")
    return max(cases, key=lambda c: (c.period, c.kind))


def notified_checks(case: Case) -> list[str]:
    """The checks of the fault findings the case was opened for."""
    opened = next((e for e in case.events if e.action == "open"), None)
    findings = (opened.detail if opened else {}).get("findings") or []
    return sorted({str(f.get("check")) for f in findings if f.get("check")})


def reviewed(kind: str, result: dict[str, Any], month: str, decisions: list[Any], settings: Settings) -> dict[str, Any]:
    """A re-check's result with the dismissals in force applied (``monitor.judge.review``): a
    finding a reviewer dismissed as false stays dismissed while it is the same finding, so it
    never keeps a case "not fixed"."""
    from monitor.judge.review import in_force, review_target

    by_finding, _ = in_force(decisions, month)
    return review_target(kind, result, month, by_finding, None, settings.scoring) if by_finding else result


@dataclass(frozen=True, slots=True)
class Recheck:
    case: Case
    verdict: RecheckVerdict
    result: dict[str, Any]
    event: Event


async def recheck(store: Store, settings: Settings, registry: Registry, case: Case, *, by: str, now: datetime,
                  as_of: date) -> Recheck:
    """Run the unit's checks now, judge what they say of the notified problems, record the outcome."""
    from monitor.crawl.crawler import crawl_site
    from monitor.crawl.linkcheck import LinkChecker
    from monitor.crawl.progress import CrawlProgress
    from monitor.judge.engine import judge_site
    from monitor.net.fetch import Fetcher
    from monitor.run import evidence
    from monitor.run.check import check_account

    if case.kind == "site":
        try:
            site = registry.site(case.target_id)
        except KeyError:
            raise RegistryError(f"site {case.target_id} is not in the registry: it cannot be re-checked") from None
        async with Fetcher(settings.crawl, settings.links) as fetcher:
            checker = LinkChecker(fetcher, settings.links, fresh={})
            recorded = evidence.recorder(fetcher, settings)
            snap = await crawl_site(site, settings=settings, fetcher=recorded, linkchecker=checker,  # type: ignore[arg-type]
                                    as_of=as_of, progress=CrawlProgress())
        await store.call(store.save_pages, site.id, snap.pages)
        await store.call(store.save_links, snap.links)
        await store.call(store.add_probes, site.id, snap.probes)
        await store.call(store.save_site_snapshot, snap)
        result = judge_site(site, snap, period=Period.for_as_of(as_of), settings=settings, registry=registry)
        await evidence.keep(store, settings, Period.for_as_of(as_of).month, "site", site.id, result, recorded, snap)
    else:
        async with Fetcher(settings.crawl, settings.links) as fetcher:
            result = await check_account(case.target_id, settings=settings, registry=registry, store=store,
                                         fetcher=fetcher, as_of=as_of, now=now)
    month = Period.for_as_of(as_of).month
    result = reviewed(case.kind, result, month, await store.call(store.decisions, until_period=month), settings)
    judged = judge_recheck(notified_checks(case), result)
    detail = {"as_of": as_of.isoformat(), "verdict": result.get("verdict"), "reason": result.get("reason", ""),
              "problems": judged.problems, "result": result}
    event = await store.call(store.record_event, case.period, case.kind, case.target_id, "recheck", by=by, at=now,
                             note=judged.note, outcome=judged.outcome, detail=detail)
    updated = await store.call(store.case, case.period, case.kind, case.target_id)
    return Recheck(updated or case, judged, result, event)
