"""monitor.pages.guides: service-guide elements from tables, dl lists, label lines and headings."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config.load import load_settings
from monitor.pages.guides import canonical, clean_label, is_blank, parse_guide

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "html"
EXTRACT = load_settings().extract
SYN = EXTRACT.guide_fields
BLANKS = EXTRACT.guide_blank_values


def guide(name: str):  # noqa: ANN201 - a ServiceGuide
    html = (FIXTURES / name).read_text(encoding="utf-8")
    return parse_guide(html, f"http://127.0.0.1:8001/{name}", synonyms=SYN, blank_values=BLANKS)


def test_table_guide_reads_th_td_pairs_four_cell_rows_and_group_cells() -> None:
    fields = guide("guide_table.html").fields
    assert fields["事项名称"] == "企业设立登记"
    assert fields["办理机构"] == "示例县市场监督管理局"
    assert fields["设定依据"] == "《中华人民共和国公司法》第六条"
    assert fields["申请条件"] == "申请人符合法定条件"
    assert fields["收费标准"] == "无"                       # 无 = free of charge: a value
    assert fields["办理材料"].startswith("材料名称 份数 登记申请书")
    assert fields["办理地点"] == "示例县政务服务中心二楼"
    assert fields["办理时间"] == ""                         # "—" is blank
    assert fields["联系电话"] == ""                         # "暂无" is blank
    assert fields["办理流程"] == "受理—审核—发照"
    assert guide("guide_table.html").title == "企业设立登记"


def test_document_guide_reads_dl_label_lines_and_heading_sections() -> None:
    fields = guide("guide_doc.html").fields
    assert fields["事项名称"] == "残疾人证核发"
    assert fields["设定依据"] == "《残疾人证管理办法》"
    assert fields["申请条件"] == "具有本县户籍的残疾人。 经评定符合残疾标准。"
    assert fields["办理材料"] == "身份证、户口簿、近期照片。"
    assert fields["办理地点"] == "县残联服务大厅"
    assert fields["联系电话"] == "0000-1234567"
    assert fields["办理时间"] == ""
    assert fields["收费标准"] == ""
    assert "办理流程" not in fields


@pytest.mark.parametrize(("label", "name"), [
    ("事项名称：", "事项名称"), ("办理事项", "事项名称"), ("一、设定依据", "设定依据"), ("法律依据:", "设定依据"),
    ("（三）受理条件", "申请条件"), ("申报材料", "办理材料"), ("所需材料清单", "办理材料"), ("受理地点", "办理地点"),
    ("实施机构", "办理机构"), ("收费依据及标准", "收费标准"), ("是否收费", "收费标准"), ("办公时间", "办理时间"),
    ("咨询电话", "联系电话"), ("咨询方式", "联系电话"), ("办理程序", "办理流程"), ("2. 办事流程", "办理流程"),
    ("办理时限", "办理时限"), ("监督投诉电话", "监督投诉电话"),
])
def test_label_synonyms(label: str, name: str) -> None:
    assert canonical(label, SYN) == name


def test_clean_label_strips_numbering_spaces_and_marks() -> None:
    assert clean_label(" （一） 申 请 条 件 ： ") == "申请条件"
    assert clean_label("*办理地点:") == "办理地点"


@pytest.mark.parametrize(("value", "blank"), [
    ("", True), ("  ", True), ("-", True), ("—", True), ("——", True), ("/", True), ("暂无", True), ("待定", True),
    ("无", False), ("免费", False), ("0", False),
])
def test_blank_values(value: str, blank: bool) -> None:
    assert is_blank(value, BLANKS) is blank


def test_without_synonyms_labels_are_only_cleaned() -> None:
    html = "<html><body><p>受理地点：政务大厅</p></body></html>"
    assert parse_guide(html, "http://127.0.0.1:8001/g").fields == {"受理地点": "政务大厅"}


def test_clock_times_in_values_do_not_make_labels() -> None:
    html = "<html><body><p>办理时间：工作日上午8:30-12:00，下午14:30-17:30</p><p>3.办理地点：政务大厅</p></body></html>"
    fields = parse_guide(html, "http://127.0.0.1:8001/g", synonyms=SYN).fields
    assert fields == {"办理时间": "工作日上午8:30-12:00，下午14:30-17:30", "办理地点": "政务大厅"}
