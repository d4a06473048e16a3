"""Rectification cases and issued notices in the Store (``monitor.judge.rectification`` says
which moves are allowed; this module keeps them). Events are only ever inserted."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from monitor.judge.rectification import Action, Outcome, RectificationError, State, next_state
from monitor.store.tables import NoticeIssueRow, RectificationEventRow, from_db, pack, to_db, unpack


@dataclass(frozen=True, slots=True)
class Event:
    """One recorded move of a case."""

    id: int
    period: str
    kind: str
    target_id: str
    action: str
    from_state: str | None
    to_state: str
    outcome: str | None
    by: str
    at: datetime
    note: str
    deadline: str
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NoticeIssue:
    period: str
    issued_on: date
    deadline: date
    working_days: int
    by: str
    at: datetime
    note: str


@dataclass(frozen=True, slots=True)
class Case:
    """A unit's case for one month's notice: its events in order, the state the last one left."""

    period: str
    kind: str
    target_id: str
    events: tuple[Event, ...]

    @property
    def state(self) -> str:
        return self.events[-1].to_state

    @property
    def deadline(self) -> str:
        return next((e.deadline for e in reversed(self.events) if e.deadline), "")

    def last_recheck(self, decided: bool = True) -> Event | None:
        """The latest re-check (only those that decided fixed / not fixed when ``decided``)."""
        for event in reversed(self.events):
            if event.action == "recheck" and (not decided or event.outcome in ("fixed", "not_fixed")):
                return event
        return None


def _event(row: RectificationEventRow) -> Event:
    return Event(id=int(row.id or 0), period=row.period, kind=row.kind, target_id=row.target_id, action=row.action,
                 from_state=row.from_state, to_state=row.to_state, outcome=row.outcome, by=row.by,
                 at=from_db(row.at), note=row.note, deadline=row.deadline,  # type: ignore[arg-type]
                 detail=unpack(row.detail) if row.detail else {})


class RectificationTables:
    """Mixed into ``Store``: needs its ``engine`` and ``session()``."""

    engine: Any
    session: Any

    def issue_notice(self, period: str, *, issued_on: date, deadline: date, working_days: int, by: str,
                     at: datetime, units: list[tuple[str, str, dict[str, Any]]], note: str = "") -> None:
        """Record the notice of ``period`` as issued and open + notify a case per failing unit
        ``(kind, target id, detail)``, in one transaction; a month issued before is refused."""
        with self.session() as s:
            if s.get(NoticeIssueRow, period) is not None:
                raise RectificationError(f"the notice of {period} was already issued; its cases are kept as recorded")
            s.add(NoticeIssueRow(period=period, issued_on=issued_on.isoformat(), deadline=deadline.isoformat(),
                                 working_days=working_days, by=by, at=to_db(at), note=note))
            for kind, target_id, detail in units:
                opened = next_state(None, "open")
                s.add(RectificationEventRow(period=period, kind=kind, target_id=target_id, action="open",
                                            from_state=None, to_state=opened, by="govmon", at=to_db(at),
                                            note="不合格，列入通报", detail=pack(detail)))
                s.add(RectificationEventRow(period=period, kind=kind, target_id=target_id, action="notify",
                                            from_state=opened, to_state=next_state(opened, "notify"), by=by,
                                            at=to_db(at), note=note or f"{issued_on.isoformat()} 通报印发",
                                            deadline=deadline.isoformat()))
            try:
                s.flush()
            except IntegrityError:
                raise RectificationError(f"the notice of {period} was already issued (by another process)") from None

    def notice_issue(self, period: str) -> NoticeIssue | None:
        with self.session() as s:
            row = s.get(NoticeIssueRow, period)
        if row is None:
            return None
        return NoticeIssue(period=row.period, issued_on=date.fromisoformat(row.issued_on),
                           deadline=date.fromisoformat(row.deadline), working_days=row.working_days, by=row.by,
                           at=from_db(row.at), note=row.note)  # type: ignore[arg-type]

    def record_event(self, period: str, kind: str, target_id: str, action: Action, *, by: str, at: datetime,
                     note: str = "", outcome: Outcome | None = None, detail: dict[str, Any] | None = None) -> Event:
        """Append one move to the case, checked against its current state inside the transaction."""
        if not by.strip():
            raise RectificationError("every rectification step names who took it (--by)")
        with self.session() as s:
            last = s.exec(select(RectificationEventRow).where(
                RectificationEventRow.period == period, RectificationEventRow.kind == kind,
                RectificationEventRow.target_id == target_id).order_by(RectificationEventRow.id.desc())  # type: ignore[union-attr]
                .limit(1)).first()
            if last is None and action != "open":
                raise RectificationError(f"{kind} {target_id} has no rectification case for {period} "
                                         "(cases open when that month's notice is issued: govmon notice issue)")
            current: State | None = None if last is None else last.to_state  # type: ignore[assignment]
            row = RectificationEventRow(period=period, kind=kind, target_id=target_id, action=action,
                                        from_state=current, to_state=next_state(current, action, outcome),
                                        outcome=outcome, by=by, at=to_db(at), note=note,
                                        detail=None if detail is None else pack(detail))
            s.add(row)
            s.flush()
            return _event(row)

    def case(self, period: str, kind: str, target_id: str) -> Case | None:
        with self.session() as s:
            rows = s.exec(select(RectificationEventRow).where(
                RectificationEventRow.period == period, RectificationEventRow.kind == kind,
                RectificationEventRow.target_id == target_id).order_by(RectificationEventRow.id)).all()
        return Case(period, kind, target_id, tuple(_event(r) for r in rows)) if rows else None

    def cases(self, period: str | None = None, target_id: str | None = None) -> list[Case]:
        """Cases of one month and/or one unit, oldest month first, then by unit."""
        with self.session() as s:
            q = select(RectificationEventRow)
            if period is not None:
                q = q.where(RectificationEventRow.period == period)
            if target_id is not None:
                q = q.where(RectificationEventRow.target_id == target_id)
            rows = s.exec(q.order_by(RectificationEventRow.id)).all()
        grouped: dict[tuple[str, str, str], list[Event]] = {}
        for row in rows:
            grouped.setdefault((row.period, row.kind, row.target_id), []).append(_event(row))
        return [Case(p, k, t, tuple(events)) for (p, k, t), events in sorted(grouped.items())]
