"""interaction_unanswered: messages within a year, unanswered more than 3 calendar months; no channel at all."""

from datetime import UTC, date, datetime
from typing import Any

from checks.base import CheckContext
from checks.interaction_unanswered import CHECK, Options
from monitor.config.load import shipped_settings
from monitor.model.period import Period
from monitor.model.snapshots import Message, SiteSnapshot
from monitor.registry.model import Site

AS_OF = date(2021, 8, 31)
AT = datetime(2021, 8, 31, 4, tzinfo=UTC)
BASE = "http://127.0.0.1:8105"
SITE = Site(id="1403000005", name="测试市人民政府", url=f"{BASE}/", kind="portal")


def message(n: int, asked: date | None, *, replied: date | None = None, answered: bool | None = False,
            column: str = "政务咨询") -> Message:
    return Message(url=f"{BASE}/hd/{n}.html", title=f"咨询{n}", column=column, asked=asked, replied=replied,
                   answered=answered)


def run(*messages: Message, channel: bool | None = True, as_of: date = AS_OF, **options: Any) -> list[dict[str, Any]]:
    snap = SiteSnapshot(site_id=SITE.id, url=SITE.url, started_at=AT, messages=list(messages),
                        has_interaction_channel=channel)
    ctx = CheckContext(Period.for_as_of(as_of), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def unanswered(msg: Message) -> dict[str, Any]:
    return {"check": "interaction_unanswered", "severity": "veto", "url": msg.url,
            "asked": msg.asked.isoformat() if msg.asked else None, "reason": "unanswered", "points": 0.0, "clause": ""}


def test_message_asked_exactly_three_months_before_as_of_is_not_yet_overdue() -> None:
    assert run(message(1, date(2021, 5, 31))) == []


def test_message_asked_a_day_earlier_and_unanswered_is_a_veto() -> None:
    msg = message(1, date(2021, 5, 30))
    assert run(msg) == [unanswered(msg)]


def test_three_months_clamp_to_the_end_of_a_short_month() -> None:
    as_of = date(2021, 5, 31)
    assert run(message(1, date(2021, 2, 28)), as_of=as_of) == []
    msg = message(2, date(2021, 2, 27))
    assert run(msg, as_of=as_of) == [unanswered(msg)]


def test_only_messages_within_one_year_before_as_of_are_judged() -> None:
    inside = message(1, date(2020, 8, 31))
    assert run(inside, message(2, date(2020, 8, 30))) == [unanswered(inside)]


def test_answered_messages_pass_whenever_they_were_answered() -> None:
    assert run(message(1, date(2021, 1, 5), replied=date(2021, 6, 1), answered=None),
               message(2, date(2021, 1, 5), answered=True)) == []


def test_no_reply_date_and_no_answered_flag_counts_as_unanswered_by_default() -> None:
    msg = message(1, date(2021, 3, 1), answered=None)
    assert run(msg) == [unanswered(msg)]
    assert run(msg, no_reply_date_is_unanswered=False) == []


def test_excluded_columns_need_no_answer() -> None:
    old = date(2021, 1, 1)
    assert run(message(1, old, column="在线访谈"), message(2, old, column="网上信访"),
               message(3, old, column="纪检举报"), message(4, old, column="调查征集")) == []


def test_messages_without_an_ask_date_or_dated_after_as_of_are_not_judged() -> None:
    assert run(message(1, None), message(2, date(2021, 9, 2))) == []


def test_a_message_listed_twice_is_reported_once() -> None:
    msg = message(1, date(2021, 1, 10))
    assert run(msg, msg) == [unanswered(msg)]


def test_site_without_a_working_interaction_channel_is_a_veto_on_the_site() -> None:
    assert run(channel=False) == [{"check": "interaction_unanswered", "severity": "veto", "url": SITE.url,
                                   "asked": None, "reason": "no_channel", "points": 0.0, "clause": ""}]


def test_unknown_channel_state_is_not_judged() -> None:
    assert run(channel=None) == []
