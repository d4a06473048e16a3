"""Message boards (政务咨询、领导信箱、在线留言): each message's ask date and whether it was answered.

Lists come in two shapes:

* a table with a header row: columns are recognised by their labels (标题/主题; 留言时间/提问时间/
  来信时间/提交时间/时间; 回复时间/答复时间/办结时间; 状态/办理状态/回复状态), and each row is read
  cell by cell;
* rows of a div/ul list (found like any list, see ``monitor.pages.listing``): dates are taken by their
  labels (留言时间：…, 回复时间：…); an unlabelled date is the ask date (boards show when a message
  was sent; a reply date always carries a label), a second, later unlabelled date is the reply.

State words: 已回复/已答复/已办结/已处理/已反馈 answer a message; 未回复/待回复/未答复/处理中/办理中/
待处理/已受理/正在办理 do not (the negative words are tried first: 未回复 contains 回复). A reply
date also answers it. With neither, ``answered`` is None and the detail page decides
(``parse_message_detail``: labelled dates, a state, or the 回复内容/答复内容 — blank or 暂无回复
means not answered).
"""

from __future__ import annotations

import re
from datetime import date

from selectolax.lexbor import LexborNode

from monitor.model.snapshots import Message
from monitor.pages.anchors import anchor_title, link_url
from monitor.pages.blocks import find_blocks
from monitor.pages.dates import normalize, scan
from monitor.pages.guides import field_pairs, is_blank, row_cells
from monitor.pages.text import clean_tree, no_spaces, page_title

ASK_LABELS = re.compile(r"留言|提问|来信|写信|提交|咨询|发布|发件|投诉|信件|时间|日期")
REPLY_LABELS = re.compile(r"回复|答复|办结|反馈|处理|回件")
TITLE_LABELS = re.compile(r"标题|主题|事项|名称|内容")
STATE_LABELS = re.compile(r"状态|是否|情况")
UNANSWERED = ("未回复", "未答复", "待回复", "待答复", "未办结", "处理中", "办理中", "待处理", "正在办理", "已受理",
              "未处理", "未反馈")
ANSWERED = ("已回复", "已答复", "已办结", "已处理", "已反馈", "已回", "已办理", "办结", "已完成")
REPLY_CONTENT = re.compile(r"(?:回复|答复|办理|处理)(?:内容|意见|结果|情况)")
MESSAGE_LABELS = re.compile(r"留言|提问|来信|写信|咨询|投诉|信件|回复|答复|办结|反馈|受理")
BOARD_NAMES = re.compile(r"咨询|信箱|留言|投诉|来信|写信|诉求|问政|建言|求助|12345|市长热线|网上问答")
_LABELLED = re.compile(r"([\u4e00-\u9fff]{2,6})\s*[:：]\s*$")


def state(text: str) -> bool | None:
    """True for an answered state word, False for an unanswered one, None without either."""
    flat = no_spaces(text)
    if any(word in flat for word in UNANSWERED):
        return False
    if any(word in flat for word in ANSWERED):
        return True
    return None


def parse_messages(html: str, base_url: str, column: str, *, ref: date | None = None) -> list[Message]:
    """The messages listed on a board page (table with a header row, else list rows)."""
    tree = clean_tree(html)
    for table in tree.css("table"):
        messages = _table_messages(table, base_url, column, ref)
        if messages:
            return messages
    board = bool(BOARD_NAMES.search(column))
    blocks = [b for b in find_blocks(tree, base_url, ref=ref) if not b.aside]
    best = max(blocks, key=lambda b: (sum(_is_message(r.text, board) for r in b.rows), len(b.rows)), default=None)
    if best is None or not any(_is_message(r.text, board) for r in best.rows):
        return []
    return [_row_message(r.url, r.title, r.text, column, ref) for r in best.rows]


def _is_message(text: str, board: bool) -> bool:
    """A row is a message when it shows a reply state or a labelled ask/reply date; a bare dated
    row only on a page that is itself a board (a 互动交流 landing page also lists 在线访谈 and
    调查征集 items with dates, which are not messages)."""
    if state(text) is not None:
        return True
    work = normalize(text)
    labelled = any((m := _LABELLED.search(work[max(0, f.start - 12): f.start])) and MESSAGE_LABELS.search(m.group(1))
                   for f in scan(work))
    return labelled or (board and bool(scan(work)))


def _row_message(url: str, title: str, text: str, column: str, ref: date | None) -> Message:
    asked = replied = None
    loose: list[date] = []
    work = normalize(text)
    for found in scan(work, ref=ref):
        if found.date is None:
            continue
        label = _LABELLED.search(work[max(0, found.start - 12): found.start])
        if label and REPLY_LABELS.search(label.group(1)):
            replied = replied or found.date
        elif label and ASK_LABELS.search(label.group(1)):
            asked = asked or found.date
        else:
            loose.append(found.date)
    if asked is None and loose:
        asked = loose.pop(0)
    if replied is None and loose and asked is not None and loose[0] >= asked:
        replied = loose[0]
    answered = state(text)
    if answered is None and replied is not None:
        answered = True
    return Message(url=url, title=title, column=column, asked=asked, replied=replied, answered=answered)


def _roles(cells: list[LexborNode]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(cells):
        label = no_spaces(cell.text())
        if not label or len(label) > 8:
            continue
        if STATE_LABELS.search(label) and "state" not in roles:
            roles["state"] = index
        elif REPLY_LABELS.search(label) and re.search(r"时间|日期", label) and "replied" not in roles:
            roles["replied"] = index
        elif ASK_LABELS.search(label) and re.search(r"时间|日期", label) and "asked" not in roles:
            roles["asked"] = index
        elif TITLE_LABELS.search(label) and "title" not in roles:
            roles["title"] = index
    return roles


def _table_messages(table: LexborNode, base_url: str, column: str, ref: date | None) -> list[Message]:
    rows = [r for r in table.css("tr") if (t := _nearest_table(r)) is not None and t.mem_id == table.mem_id]
    for start, row in enumerate(rows[:3]):
        roles = _roles(row_cells(row))
        if "asked" in roles and ("state" in roles or "replied" in roles or "title" in roles):
            return [m for r in rows[start + 1:] if (m := _cell_message(row_cells(r), roles, base_url, column, ref))]
    return []


def _nearest_table(node: LexborNode) -> LexborNode | None:
    parent = node.parent
    while parent is not None and parent.tag != "table":
        parent = parent.parent
    return parent


def _cell_message(cells: list[LexborNode], roles: dict[str, int], base_url: str, column: str,
                  ref: date | None) -> Message | None:
    def cell(role: str) -> LexborNode | None:
        index = roles.get(role)
        return cells[index] if index is not None and index < len(cells) else None

    holder = cell("title")
    anchors = (holder.css("a[href]") if holder is not None else []) or [a for c in cells for a in c.css("a[href]")]
    anchor = next((a for a in anchors if link_url(a, base_url)), None)
    if anchor is None:
        return None
    asked_cell, replied_cell, state_cell = cell("asked"), cell("replied"), cell("state")
    asked = _cell_date(asked_cell, ref)
    replied = _cell_date(replied_cell, ref)
    answered = state(state_cell.text() or "") if state_cell is not None else None
    if answered is None and replied is not None:
        answered = True
    return Message(url=link_url(anchor, base_url) or "", title=anchor_title(anchor), column=column,
                   asked=asked, replied=replied, answered=answered)


def _cell_date(cell: LexborNode | None, ref: date | None) -> date | None:
    found = [f.date for f in scan(cell.text() or "", ref=ref) if f.date] if cell is not None else []
    return found[0] if found else None


def parse_message_detail(html: str, url: str, column: str = "", *, ref: date | None = None) -> Message:
    """One message page: labelled ask/reply dates, a state, or a non-blank reply text."""
    tree = clean_tree(html)
    title, asked, replied, answered = "", None, None, None
    for label, value in field_pairs(tree):
        dates = [f.date for f in scan(value, ref=ref) if f.date]
        if re.search(r"时间|日期", label) and dates:
            if REPLY_LABELS.search(label):
                replied = replied or dates[0]
            elif ASK_LABELS.search(label):
                asked = asked or dates[0]
        elif STATE_LABELS.search(label) and answered is None:
            answered = state(value)
        elif REPLY_CONTENT.search(label) and answered is None:
            answered = not is_blank(value, ("暂无", "暂无回复", "待回复", "无"))
        elif re.search(r"标题|主题", label) and not title and len(label) <= 6:
            title = value
    if answered is None and replied is not None:
        answered = True
    return Message(url=url, title=title or page_title(html), column=column, asked=asked, replied=replied,
                   answered=answered)
