"""monitor.pages.messages: messages with ask date and reply state, from tables, div lists and detail pages."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from monitor.pages.messages import parse_message_detail, parse_messages, state

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
BASE = "http://127.0.0.1:8001"
AS_OF = date(2021, 8, 31)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_table_board_reads_columns_by_their_header_labels() -> None:
    messages = parse_messages(fixture("messages_table.html"), f"{BASE}/hdjl/zwzx/", "政务咨询", ref=AS_OF)
    got = [(m.url.rsplit("=", 1)[-1], m.asked, m.replied, m.answered) for m in messages]
    assert got == [("305", date(2021, 8, 3), date(2021, 8, 5), True),
                   ("304", date(2021, 7, 20), None, False),
                   ("303", date(2021, 4, 15), None, False),
                   ("302", date(2021, 3, 2), date(2021, 3, 9), True)]
    assert messages[0].title == "咨询小区供暖改造进度" and messages[0].column == "政务咨询"


def test_div_board_reads_labelled_dates_and_state_words() -> None:
    messages = parse_messages(fixture("messages_div.html"), f"{BASE}/hdjl/xzxx/", "县长信箱", ref=AS_OF)
    got = [(m.url.rsplit("/", 1)[-1], m.asked, m.replied, m.answered) for m in messages]
    assert got == [("content_88.html", date(2021, 8, 10), date(2021, 8, 12), True),
                   ("content_87.html", date(2021, 5, 6), None, False),
                   ("content_86.html", date(2021, 4, 1), None, None)]


def test_unlabelled_list_dates_are_ask_then_reply() -> None:
    rows = ("<li><a href='/ly/1.html'>咨询社保卡补办流程</a><span>2021-06-01</span><span>2021-06-03</span></li>"
            "<li><a href='/ly/2.html'>反映路灯损坏情况</a><span>[05-20]</span><span>待回复</span></li>")
    messages = parse_messages(f"<html><body><ul>{rows}</ul></body></html>", f"{BASE}/ly/", "在线留言", ref=AS_OF)
    assert [(m.asked, m.replied, m.answered) for m in messages] == [
        (date(2021, 6, 1), date(2021, 6, 3), True), (date(2021, 5, 20), None, False)]


def test_a_list_of_links_without_dates_or_states_has_no_messages() -> None:
    html = "<html><body><ul><li><a href='/hd/zwzx/'>政务咨询频道入口</a></li><li><a href='/hd/ldxx/'>领导信箱频道入口</a></li></ul></body></html>"
    assert parse_messages(html, f"{BASE}/hd/", "互动交流") == []


@pytest.mark.parametrize(("text", "expected"), [
    ("已回复", True), ("已办结", True), ("已答复", True), ("办理状态：已处理", True),
    ("未回复", False), ("待回复", False), ("处理中", False), ("已受理", False), ("正在办理", False),
    ("咨询", None), ("", None),
])
def test_state_words(text: str, expected: bool | None) -> None:
    assert state(text) is expected


def test_detail_page_with_reply() -> None:
    message = parse_message_detail(fixture("message_detail_answered.html"), f"{BASE}/m/86.html", "县长信箱")
    assert (message.asked, message.replied, message.answered) == (date(2021, 4, 1), date(2021, 4, 9), True)
    assert message.title == "反映噪音扰民问题请求处理"


def test_detail_page_without_reply() -> None:
    message = parse_message_detail(fixture("message_detail_unanswered.html"), f"{BASE}/m/87.html")
    assert (message.asked, message.replied, message.answered) == (date(2021, 5, 6), None, False)
    assert message.title == "咨询新生儿落户所需材料"


def test_a_landing_page_lists_interviews_and_surveys_which_are_not_messages() -> None:
    html = """<html><body><div class="main">
    <div class="box"><h3>在线访谈</h3><ul>
      <li><a href="/ft/1.html">市长与网民在线交流城市建设工作</a><span>2021-03-02</span></li>
      <li><a href="/ft/2.html">教育局长谈义务教育阶段招生政策</a><span>2021-02-11</span></li></ul></div>
    <div class="box"><h3>调查征集</h3><ul>
      <li><a href="/dc/1.html">关于城市公共交通满意度的问卷调查</a><span>2021-04-01</span></li>
      <li><a href="/dc/2.html">关于老旧小区改造意见征集的公告</a><span>2021-01-20</span></li></ul></div>
    </div></body></html>"""
    assert parse_messages(html, "http://127.0.0.1:9/hdjl/", "互动交流", ref=date(2021, 8, 31)) == []


def test_bare_dated_rows_are_messages_on_a_page_that_is_a_board() -> None:
    html = """<html><body><ul class="list">
      <li><a href="/xx/1.html">咨询小区供暖开始时间的问题</a><span>2021-03-02</span></li>
      <li><a href="/xx/2.html">咨询公积金提取需要哪些材料</a><span>2021-02-11</span></li></ul></body></html>"""
    messages = parse_messages(html, "http://127.0.0.1:9/zxxx/", "市长信箱", ref=date(2021, 8, 31))
    assert [(m.asked, m.answered) for m in messages] == [(date(2021, 3, 2), None), (date(2021, 2, 11), None)]
