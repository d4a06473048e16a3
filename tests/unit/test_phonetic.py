"""checks.expression_error.phonetic: sound classes and near misses of key terms, on hand-made terms and lexicons."""

from datetime import date

from checks.expression_error.phonetic import DEFAULT_FUZZY, NearMissFinder, char_keys, plain, sound_key
from checks.expression_error.rules import ContextLexicon, KeyTerm

FUZZY = frozenset(DEFAULT_FUZZY)


def test_plain_drops_tones_and_writes_u_umlaut_as_v() -> None:
    assert [plain(r) for r in ("zhōng", "lǜ", "nǚ", "ér")] == ["zhong", "lv", "nv", "er"]


def test_sound_key_merges_only_the_configured_near_homophones() -> None:
    assert sound_key("zheng", FUZZY) == sound_key("zen", FUZZY) == "zen"
    assert sound_key("qiang", FUZZY) == sound_key("qian", FUZZY)
    assert sound_key("nao", FUZZY) != sound_key("lao", FUZZY)
    assert sound_key("nao", FUZZY | {"n=l"}) == sound_key("lao", FUZZY | {"n=l"})
    assert sound_key("hu", FUZZY | {"f=h"}) == sound_key("fu", FUZZY | {"f=h"})
    assert sound_key("zhong", FUZZY) != sound_key("zhon", FUZZY)


def test_char_keys_cover_every_reading_of_a_polyphone() -> None:
    assert {"he", "huo", "hu"} <= char_keys("和", FUZZY)


def finder(*terms: KeyTerm, lexicon: frozenset[str] = frozenset(), fuzzy: tuple[str, ...] = DEFAULT_FUZZY,
           max_replaced: int = 2) -> NearMissFinder:
    return NearMissFinder(terms, lexicon, fuzzy=fuzzy, max_replaced=max_replaced)


def test_one_or_two_homophones_are_found_but_not_more_and_not_the_term_itself() -> None:
    f = finder(KeyTerm("党风廉政建设", "C"))
    assert [m.found for m in f.find("推进党风廉正建设")] == ["党风廉正建设"]
    assert [m.found for m in f.find("推进档风廉正建设")] == ["档风廉正建设"]
    assert f.find("推进档风连正建设") == []
    assert f.find("推进党风廉政建设") == []


def test_at_least_half_of_the_term_stays_exact() -> None:
    assert finder(KeyTerm("政协", "A", ("委员",))).find("正写委员") == []
    assert [m.found for m in finder(KeyTerm("政协", "A", ("委员",))).find("正协委员")] == ["正协"]


def test_near_homophone_pairs_are_an_option() -> None:
    term = KeyTerm("牢记使命", "C")
    assert finder(term).find("脑记使命") == []
    assert [m.found for m in finder(term, fuzzy=(*DEFAULT_FUZZY, "n=l")).find("脑记使命")] == ["脑记使命"]


def test_max_replaced_limits_the_replaced_characters() -> None:
    term = KeyTerm("党风廉政建设", "C")
    assert finder(term, max_replaced=1).find("档风廉正建设") == []


def test_lexicon_words_on_replaced_characters_or_across_both_edges_make_a_window_ordinary() -> None:
    term = KeyTerm("人民政府", "A")
    assert [m.found for m in finder(term).find("人民征服")] == ["人民征服"]
    assert finder(term, lexicon=frozenset({"征服"})).find("人民征服") == []
    three = KeyTerm("共和国", "A")
    assert [m.found for m in finder(three).find("职工和国家")] == ["工和国"]
    assert finder(three, lexicon=frozenset({"职工"})).find("职工和国家") == []


def test_leaders_need_a_title_or_their_full_name_nearby_and_no_word_glued_on_the_left() -> None:
    leader = KeyTerm("习近平", "B", ("总书记",), (), True)
    assert [m.found for m in finder(leader).find("习近萍总书记")] == ["习近萍"]
    assert [m.found for m in finder(leader).find("习近平说，习近萍说")] == ["习近萍"]
    assert finder(leader).find("村民习近萍") == []
    assert finder(leader, lexicon=frozenset({"学习"})).find("总书记号召学习进平台") == []


def test_a_context_lexicon_word_across_the_right_edge_makes_the_window_ordinary() -> None:
    term = KeyTerm("政协", "A", ("会议",))
    plain_finder = finder(term)
    assert [m.found for m in plain_finder.find("各部门正协调解决，会议明天召开")] == ["正协"]
    edged = NearMissFinder([term], frozenset(), edges=ContextLexicon(right=frozenset({"协调", "协商"})))
    assert edged.find("各部门正协调解决，会议明天召开") == []
    assert edged.find("双方正协商，会议明天召开") == []
    assert [m.found for m in edged.find("县正协会议召开")] == ["正协"]


def test_a_context_lexicon_word_across_the_left_edge_makes_the_window_ordinary() -> None:
    term = KeyTerm("牢记使命", "C")
    edged = NearMissFinder([term], frozenset(), edges=ContextLexicon(left=frozenset({"牢牢记"})))
    assert [m.found for m in finder(term).find("要牢记始命")] == ["牢记始命"]
    assert edged.find("要牢牢记始命") == []


def test_a_term_is_looked_for_only_on_the_days_it_is_valid() -> None:
    leader = KeyTerm("李强", "B", ("总理",), (), True, date(2022, 10, 23))
    assert finder(leader).find("总理李墙", date(2021, 8, 2)) == []
    assert [m.found for m in finder(leader).find("总理李墙", date(2023, 5, 2))] == ["李墙"]
    assert [m.found for m in finder(leader).find("总理李墙")] == ["李墙"]
