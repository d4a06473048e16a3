"""checks.expression_error.textmatch: Aho–Corasick hits with offsets, longer correct words, clauses, fixed lists."""

import pytest

from checks.expression_error.textmatch import (
    Enumeration,
    Hit,
    PatternSet,
    clause_span,
    excerpt,
    in_clause,
    inside_superstring,
    misordered,
    near,
    outermost,
    pattern_set,
    superstring_offsets,
    years_around,
)


def test_find_returns_every_occurrence_with_offsets_and_payload() -> None:
    hits = PatternSet([("环保局", 1), ("秸杆", 2)]).find("县环保局查处秸杆焚烧，环保局")
    assert hits == [Hit(1, 4, "环保局", 1), Hit(6, 8, "秸杆", 2), Hit(11, 14, "环保局", 1)]


def test_find_reports_overlapping_patterns_longest_first_at_one_start() -> None:
    hits = PatternSet([("法制办", "short"), ("国务院法制办公室", "long")]).find("原国务院法制办公室")
    assert [(h.start, h.end, h.value) for h in hits] == [(1, 9, "long"), (4, 7, "short")]


def test_outermost_keeps_the_longest_pattern_and_drops_those_inside_it() -> None:
    hits = PatternSet([("法制办", 1), ("国务院法制办公室", 2), ("截止到", 3)]).find("国务院法制办公室截止到")
    assert [h.key for h in outermost(hits)] == ["国务院法制办公室", "截止到"]


def test_empty_pattern_set_and_empty_text_find_nothing() -> None:
    assert PatternSet([]).find("任何文字") == []
    assert PatternSet([("习进平", 1)]).find("") == []


def test_empty_pattern_is_refused() -> None:
    with pytest.raises(ValueError):
        PatternSet([("", 1)])


def test_pattern_set_is_built_once_per_distinct_pattern_tuple() -> None:
    patterns = (("座落", 1), ("布署", 2))
    assert pattern_set(patterns) is pattern_set(patterns)


def test_superstring_offsets_list_every_position_of_the_word() -> None:
    assert superstring_offsets("截止", ["截止日期", "报名截止"]) == (("截止日期", 0), ("报名截止", 2))


def test_superstring_that_does_not_contain_the_word_is_an_error() -> None:
    with pytest.raises(ValueError, match="does not contain"):
        superstring_offsets("环保局", ["生态环境局"])


def test_hit_inside_a_longer_correct_word_is_recognised_on_either_side() -> None:
    offsets = superstring_offsets("座落", ["讲座落", "座落成"])
    text = "惠民讲座落地社区，一座落成的桥，大楼座落在河边"
    assert inside_superstring(text, text.index("座落"), offsets)
    assert inside_superstring(text, text.index("座落成"), offsets)
    assert not inside_superstring(text, text.rindex("座落"), offsets)


def test_superstring_reaching_before_the_text_start_does_not_match() -> None:
    assert not inside_superstring("环保局", 0, superstring_offsets("环保局", ["生态环保局"]))


def test_clause_span_stops_at_clause_punctuation_and_at_the_limit() -> None:
    text = "截至目前，报名截止到6月30日。下一句"
    start = text.index("截止到")
    assert text[slice(*clause_span(text, start, start + 3, 20))] == "报名截止到6月30日"
    assert text[slice(*clause_span(text, start, start + 3, 1))] == "名截止到6"


def test_in_clause_ignores_words_of_other_clauses() -> None:
    text = "申报时间为即日起，截止到6月30日"
    start = text.index("截止到")
    assert not in_clause(text, start, start + 3, ["申报"], 20)
    assert in_clause("申报截止到6月30日", 2, 5, ["申报"], 20)


def test_near_finds_context_words_either_side_within_the_window_but_not_inside_the_hit() -> None:
    text = "总书记习进平同志"
    assert near(text, 3, 6, ["总书记"], 5)
    assert near(text, 3, 6, ["同志"], 2)
    assert not near(text, 3, 6, ["总书记"], 2)
    assert not near("习近平", 0, 3, ["近平"], 10)


def test_years_around_reads_the_years_of_the_hits_sentence_only() -> None:
    text = "2016年，县环保局开展检查。2021年新闻"
    assert years_around(text, 6, 9, 50) == [2016]
    assert years_around("电话12016年", 2, 3, 50) == []


def test_excerpt_gives_fifteen_characters_either_side_with_spaces_collapsed() -> None:
    text = "甲" * 20 + "习进平" + "\n\n  乙" + "丙" * 20
    assert excerpt(text, 20, 23) == "甲" * 15 + "习进平 乙" + "丙" * 10


FOUR = Enumeration("四个意识", ("政治意识", "大局意识", "核心意识", "看齐意识"), "C")
CONFIDENCES = Enumeration("四个自信", ("道路自信", "理论自信", "制度自信", "文化自信"), "C")


def test_misordered_finds_a_complete_list_in_another_order() -> None:
    text = "增强政治意识、核心意识、大局意识和看齐意识，"
    assert misordered(text, [FOUR, CONFIDENCES]) == [(2, 21, FOUR)]


def test_canonical_order_partial_lists_and_separated_members_are_not_judged() -> None:
    assert misordered("增强政治意识、大局意识、核心意识、看齐意识", [FOUR]) == []
    assert misordered("坚定道路自信、制度自信、理论自信", [CONFIDENCES]) == []
    assert misordered("核心意识很重要。我们要有政治意识，大局意识强，看齐意识", [FOUR]) == []


def test_dates_near_reads_every_full_date_form_across_lines_within_the_window() -> None:
    from datetime import date

    from checks.expression_error.textmatch import dates_near
    text = "通知标题甲\n2021-05-01\n标题乙 2021/5/2 标题丙 2021.05.03 二〇二一 2021年5月4日 2021-13-40"
    start = text.index("甲")
    assert dates_near(text, start, start + 1, 80) == [date(2021, 5, 1), date(2021, 5, 2), date(2021, 5, 3),
                                                        date(2021, 5, 4)]
    assert dates_near(text, start, start + 1, 3) == []


def test_document_number_years_on_the_hits_line_and_book_titles() -> None:
    from checks.expression_error.textmatch import doc_number_years, in_book_title
    text = "某局行政监管措施决定书 〔2022〕3号 某局函[2021]12号\n某局决定书〔2020〕1号"
    assert doc_number_years(text, 2, 40) == [2022, 2021]
    assert doc_number_years(text, 2, 20) == [2022]
    text = "根据《某局行政处罚办法》规定，某局发布通知\n《某局"
    assert in_book_title(text, 3, 5) and not in_book_title(text, 15, 17) and not in_book_title(text, 23, 25)
