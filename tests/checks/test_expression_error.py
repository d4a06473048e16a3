"""expression_error: dictionary (all categories, longer correct words, time-aware names), near misses
of key terms, misordered fixed lists, account posts — and zero findings on correct real text."""

import json
import tomllib
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from selectolax.lexbor import LexborHTMLParser

from checks import check_options
from checks.base import CheckContext
from checks.expression_error import CHECK, Options
from checks.expression_error.rules import RULES_FILE, RuleEntry, build_rules, load_key_terms
from monitor.config.load import load_settings, shipped_settings
from monitor.judge.engine import judge_site
from monitor.judge.validate import load_checked_settings
from monitor.model.errors import ConfigError
from monitor.model.period import Period
from monitor.model.snapshots import AccountSnapshot, PageSnapshot, Post, SiteSnapshot
from monitor.registry.model import Account, Site

AS_OF = date(2021, 8, 31)
AT = datetime(2021, 8, 31, 4, tzinfo=UTC)
HOME = "http://127.0.0.1:8102/"
SITE = Site(id="1403000002", name="测试县人民政府", url=HOME, kind="portal")
REAL_PAGES = Path(__file__).resolve().parents[1] / "fixtures" / "real_pages"


def page(path: str, text: str, published: date | None = date(2021, 8, 2), fetched: datetime = AT) -> PageSnapshot:
    return PageSnapshot(url=HOME + path, final_url=HOME + path, status=200, fetched_at=fetched, published=published,
                        text=text)


def run_site(pages: list[PageSnapshot], home: PageSnapshot | None = None, as_of: date = AS_OF,
             **options: Any) -> list[dict[str, Any]]:
    snap = SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT, home=home, pages=pages)
    ctx = CheckContext(Period.for_as_of(as_of), Options.shipped(**options), shipped_settings())
    return [f.to_dict() for f in CHECK.run_site(SITE, snap, ctx)]


def found(text: str, published: date | None = date(2021, 8, 2), fetched: datetime = AT, as_of: date = AS_OF,
          **options: Any) -> list[tuple[str, str, str, str, str]]:
    """(text, suggestion, category, rule, severity) of every finding on one page."""
    return [(f["text"], f["suggestion"], f["category"], f["rule"], f["severity"])
            for f in run_site([page("a.html", text, published, fetched)], as_of=as_of, **options)]


# ------------------------------------------------------------------ the shipped dictionary
SECTION_5_2 = ["中华人民共合国", "中华人民大和国", "攻府", "中国共产觉", "习进平", "刁近平", "习平近", "温家室", "王泸宁",
               "丁薜祥", "最后领导人", "习近平新时代中国特色社会主义理论", "党史教育", "不忘初衷", "全面从紧治党",
               "党风廉正建设", "四个全面战略部局", "五位一体总体部局", "社会主义核心价值", "国家卫生计生委",
               "卫生和计划生育委员会", "国土资源部", "国土资源局", "环境保护部", "环保局", "农业部", "农业局", "农委",
               "文化部", "国家旅游局", "国家工商总局", "国家质检总局", "国家食药监总局", "工商局", "质监局", "食药监局",
               "国家安全生产监督管理总局", "安监局", "国务院法制办公室", "法制办", "监察部", "监察局",
               "国家新闻出版广电总局", "国家林业局", "国家粮食局", "地方税务局", "国家税务局", "公安消防支队",
               "公安消防大队", "中国银行保险监督管理委员会", "银保监会", "银保监局", "新型冠状病毒肺炎",
               "新冠肺炎", "台湾总统", "台湾政府", "中港两地", "中台关系", "北朝鲜", "南中国海", "截止目前", "截止到",
               "秸杆", "布署", "再接再励", "按步就班", "既往不究", "迫不急待", "一愁莫展", "直接了当", "座落", "急燥",
               "侯车", "国藉", "做为"]


def test_shipped_dictionary_holds_every_default_pair_of_the_rules_document() -> None:
    """All but #35 国家乡村振兴局: since 2023 a plate hung on 农业农村部, a name still in use."""
    wrong = {r.wrong for r in build_rules()}
    assert [w for w in SECTION_5_2 if w not in wrong] == []
    assert "国家乡村振兴局" not in wrong


def test_shipped_rules_have_a_category_and_time_aware_institution_names() -> None:
    rules = {r.wrong: r for r in build_rules()}
    assert {r.category for r in rules.values()} == set("ABCDEF")
    assert (rules["国土资源部"].valid_from, rules["国土资源部"].valid_until) == (date(2018, 4, 17), None)
    assert rules["银保监会"].valid_from == date(2023, 5, 19)
    assert rules["新冠肺炎"].valid_from == date(2022, 12, 27)
    assert "原" in rules["环保局"].unless


# ------------------------------------------------------------------ A B C: veto
def test_category_a_wrong_state_name_is_a_veto() -> None:
    assert found("中华人民共合国成立七十周年。") == [("中华人民共合国", "中华人民共和国", "A", "dictionary", "veto")]
    assert found("中华人民共和国成立七十周年。") == []


def test_category_b_leaders_name_is_a_veto_wherever_it_stands() -> None:
    assert found("深入学习习进平同志讲话。") == [("习进平", "习近平", "B", "dictionary", "veto")]


def test_category_b_rule_with_context_needs_its_context_words() -> None:
    assert found("他是国家最后领导人之一") == [("最后领导人", "最高领导人", "B", "dictionary", "veto")]
    assert found("活动最后领导人与群众合影留念。") == []


def test_category_c_altered_formulations_are_vetoes() -> None:
    assert found("推进党风廉正建设。全面从紧治党。") == [
        ("党风廉正建设", "党风廉政建设", "C", "dictionary", "veto"),
        ("全面从紧治党", "全面从严治党", "C", "dictionary", "veto")]


def test_truncated_core_values_flagged_but_not_inside_the_full_formulations() -> None:
    assert found("践行社会主义核心价值，") == [("社会主义核心价值", "社会主义核心价值观", "C", "dictionary", "veto")]
    assert found("社会主义核心价值观和社会主义核心价值体系") == []


def test_wrong_slogan_needs_the_slogans_other_half_nearby() -> None:
    assert found("不忘初衷、牢记使命") == [("不忘初衷", "不忘初心", "C", "dictionary", "veto")]
    assert found("他几十年不忘初衷，坚持做好事。") == []


# ------------------------------------------------------------------ D: time-aware institution names
def test_outdated_local_bureau_on_a_page_published_after_the_reform_is_a_deduction() -> None:
    assert found("县环保局开展执法检查。", published=date(2021, 8, 2)) == [
        ("环保局", "生态环境局", "D", "dictionary", "deduct")]


def test_outdated_name_on_a_page_published_before_the_reform_is_correct() -> None:
    assert found("县环保局开展执法检查。", published=date(2018, 6, 1)) == []
    assert found("国土资源部印发通知。", published=date(2018, 4, 16)) == []
    assert found("国土资源部印发通知。", published=date(2018, 4, 17)) == [
        ("国土资源部", "自然资源部", "D", "dictionary", "deduct")]


def test_undated_page_judged_at_an_as_of_after_the_reform_gives_only_a_notice() -> None:
    result = run_site([page("a.html", "县环保局开展执法检查。", published=None)])
    assert [(f["text"], f["severity"], f["undated"], f["clause"]) for f in result] == [
        ("环保局", "notice", True, "表述错误：使用过时机构名称（发布日期不明，请人工核实）")]


def test_undated_page_judged_at_an_as_of_before_the_reform_is_not_judged_by_that_rule() -> None:
    fetched = datetime(2021, 8, 31, 4, tzinfo=UTC)
    assert found("县环保局开展执法检查。", published=None, fetched=fetched, as_of=date(2018, 6, 30)) == []


def test_former_names_named_as_former_or_in_a_past_year_are_not_errors() -> None:
    text = "原县环保局局长调任。县环保局更名为县生态环境局。2016年，县工商局、县环保局联合执法。"
    assert found(text) == []


def test_institution_names_inside_longer_correct_words_are_not_errors() -> None:
    assert found("农业部门、文化部门和纪检监察部门联合检查，美国环保局发布报告，全国人大农委调研。") == []


def test_most_specific_name_decides_where_rules_overlap() -> None:
    assert found("国务院法制办公室发布通知。") == [("国务院法制办公室", "司法部", "D", "dictionary", "deduct")]


# ------------------------------------------------------------------ E and F: deductions
def test_category_e_normative_terms() -> None:
    assert found("台湾总统选举") == [("台湾总统", "台湾地区领导人", "E", "dictionary", "deduct")]
    assert found("台湾地区领导人选举，朝鲜半岛局势") == []


def test_category_f_common_miswritten_words() -> None:
    assert found("秸杆禁烧工作布署会") == [("秸杆", "秸秆", "F", "dictionary", "deduct"),
                                      ("布署", "部署", "F", "dictionary", "deduct")]


def test_jiezhi_for_as_of_is_wrong_but_correct_for_a_deadline() -> None:
    assert found("截止目前，全县共受理120件。") == [("截止目前", "截至目前", "F", "dictionary", "deduct")]
    assert found("截止6月底，全县共受理120件。") == [("截止", "截至", "F", "dictionary", "deduct")]
    assert found("截止到2021年8月，全县共受理120件。") == [("截止到", "截至", "F", "dictionary", "deduct")]
    assert found("截至目前，全县共受理120件。报名截止日期为8月31日，截止时间17时，报名截止到9月1日。") == []
    assert found("征文于7月15日截止。报名截止2021年8月31日。") == []


def test_zuoluo_and_zuowei_inside_other_words_are_not_errors() -> None:
    assert found("惠民讲座落地社区，一座落成于1990年的桥。做为人民服务的好干部。") == []
    assert found("大楼座落在河边。做为一名党员，要带头。") == [("座落", "坐落", "F", "dictionary", "deduct"),
                                                 ("做为", "作为", "F", "dictionary", "deduct")]


# ------------------------------------------------------------------ near misses of key terms: notices
def test_near_miss_of_the_state_name_is_a_suspected_error_for_a_person() -> None:
    assert found("伟大的共合国") == [("共合国", "共和国", "A", "near_miss", "notice")]
    [finding] = run_site([page("a.html", "伟大的共合国")])
    assert (finding["suspected"], finding["points"], finding["clause"]) == (
        True, 0.0, "疑似国名、党名、机关名称错误：“共合国”疑似应为“共和国”，请人工核实")


def test_a_setting_promotes_near_misses_to_faults_of_their_category() -> None:
    assert found("伟大的共合国", promote_suspected=True) == [("共合国", "共和国", "A", "near_miss", "veto")]
    [finding] = run_site([page("a.html", "伟大的共合国")], promote_suspected=True)
    assert "suspected" not in finding and finding["clause"] == "严重表述错误：国名、党名、机关名称错误"


def test_near_miss_of_an_organ_name_even_when_the_replacement_forms_a_word() -> None:
    assert found("最高人民检查院工作报告") == [("最高人民检查院", "最高人民检察院", "A", "near_miss", "notice")]


def test_near_miss_of_a_leaders_name_needs_a_title_or_the_full_name_nearby() -> None:
    assert found("习近萍总书记指出") == [("习近萍", "习近平", "B", "near_miss", "notice")]
    assert found("学习习近平讲话，习近萍强调") == [("习近萍", "习近平", "B", "near_miss", "notice")]
    assert found("村民习近萍家的院子") == []


def test_two_character_names_and_terms_need_context_close_by() -> None:
    assert found("国务院总理李墙主持会议", published=date(2023, 5, 4), as_of=date(2023, 5, 31)) == [
        ("李墙", "李强", "B", "near_miss", "notice")]
    assert found("市正协委员开展调研") == [("正协", "政协", "A", "near_miss", "notice")]
    assert found("县正协会议召开") == [("正协", "政协", "A", "near_miss", "notice")]
    assert found("姿势要端正协调，才能写好字。") == []
    assert found("中国证协会议在京召开") == []
    assert found("政协委员正写提案，会议明天召开") == []


def test_a_leaders_title_points_at_them_only_from_their_term_of_office() -> None:
    """In 2021 the premier was 李克强: 总理李墙 then is no near miss of 李强."""
    assert found("国务院总理李墙主持会议", published=date(2021, 8, 2)) == []


@pytest.mark.parametrize("sentence", [
    "针对群众反映的问题，各部门正协调解决，并召开会议研究。", "市直有关部门正协同推进项目建设，政协委员参与视察。",
    "双方正协商有关事宜，会议将于下周召开。", "区政府正协助企业办理手续，委员会将进行督办。",
    "各成员单位正协作开展调查，会议纪要已印发。", "各街道正协力做好防汛工作，主席台就座的有……",
    "公安机关正协查此案，将在会议上通报。", "交警部门正协管路口交通，提案办理工作同步开展。",
])
def test_zheng_plus_an_ordinary_xie_word_is_never_a_near_miss_of_zhengxie(sentence: str) -> None:
    assert found(sentence) == []


def test_near_miss_of_a_slogan() -> None:
    assert found("不忘初心、牢记始命") == [("牢记始命", "牢记使命", "C", "near_miss", "notice")]


def test_ordinary_words_that_sound_like_key_terms_are_not_flagged() -> None:
    text = ("推进平安建设，学习进一步深入。他的能力强，管理强化。行政写作培训会议下周召开。"
            "这句话有四个意思。副市长李强调研企业，区纪委书记李喜带队检查。在这当中央企要发挥作用。"
            "填写三个大表格。主体教育模式。职工和国家利益。总书记强调要推动理论学习进平台。")
    assert found(text) == []


def test_a_dictionary_hit_is_reported_once_not_again_as_a_near_miss_and_stays_a_veto() -> None:
    assert found("总书记习进平") == [("习进平", "习近平", "B", "dictionary", "veto")]


def test_near_miss_detection_can_be_switched_off() -> None:
    assert found("伟大的共合国", near_miss=False) == []


# ------------------------------------------------------------------ fixed ordered lists
def test_fixed_list_in_another_order_is_a_suspected_error_suggesting_the_canonical_order() -> None:
    assert found("增强政治意识、核心意识、大局意识、看齐意识") == [
        ("政治意识、核心意识、大局意识、看齐意识", "政治意识、大局意识、核心意识、看齐意识", "C", "enumeration", "notice")]
    assert found("增强政治意识、大局意识、核心意识、看齐意识，坚定道路自信、理论自信、制度自信") == []


# ------------------------------------------------------------------ findings: shape, distinctness
def test_finding_has_the_documented_keys_exactly() -> None:
    result = run_site([page("n/1.html", "会议要求，深入学习习进平同志关于防汛救灾工作的重要论述，做好工作。")])
    assert result == [{
        "check": "expression_error", "severity": "veto", "url": HOME + "n/1.html", "text": "习进平",
        "suggestion": "习近平", "category": "B", "rule": "dictionary",
        "context": "会议要求，深入学习习进平同志关于防汛救灾工作的重要论述",
        "points": 0.0, "clause": "严重表述错误：党和国家领导人姓名错误"}]


def test_one_finding_per_distinct_url_and_text_over_home_and_pages() -> None:
    home = page("", "秸杆禁烧。再说一次秸杆。布署")
    result = run_site([home, page("b.html", "秸杆")], home=home)
    assert [(f["url"], f["text"]) for f in result] == [(HOME, "秸杆"), (HOME, "布署"), (HOME + "b.html", "秸杆")]


def test_scoring_of_the_shipped_settings_fails_a_site_on_a_leaders_name_and_keeps_undated_notices() -> None:
    settings = load_settings(environ={})
    home = page("", "首页")
    snap = SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT, home=home,
                        pages=[home, page("a.html", "深入学习习进平同志讲话"), page("b.html", "县环保局检查", None)])
    result = judge_site(SITE, snap, period=Period.for_as_of(AS_OF), settings=settings, registered=[CHECK])
    assert result["verdict"] == "fail" and result["reason"] == "不合格：单项否决——严重表述错误"
    assert [(f["text"], f["severity"], f["points"]) for f in result["findings"]] == [
        ("习进平", "veto", 0.0), ("环保局", "notice", 0.0)]


# ------------------------------------------------------------------ options and user rules
def test_extra_rules_add_and_disabled_rules_remove() -> None:
    extra = [{"wrong": "番茄炒蛋", "right": "西红柿炒鸡蛋", "category": "F"}]
    assert found("午饭番茄炒蛋", extra_rules=extra) == [("番茄炒蛋", "西红柿炒鸡蛋", "F", "dictionary", "deduct")]
    assert found("秸杆", disabled_rules=["秸杆"]) == []


def test_user_rule_with_the_same_wrong_form_replaces_the_shipped_one() -> None:
    extra = [{"wrong": "座落", "right": "坐落于", "category": "F", "exceptions": ["座落在"]}]
    assert found("座落在河边", extra_rules=extra) == []


def test_extra_rules_file_is_loaded_with_its_category_defaults(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('rules = [{ wrong = "甲局", right = "乙局", category = "D", after = 2020-01-01 }]\n'
                     '[defaults.D]\nunless = ["曾名"]\n', encoding="utf-8")
    assert found("甲局发文", extra_rules_file=str(rules)) == [("甲局", "乙局", "D", "dictionary", "deduct")]
    assert found("甲局(曾名)发文", extra_rules_file=str(rules)) == []
    assert found("原甲局发文", extra_rules_file=str(rules)) == []


def test_bad_entry_in_a_rules_file_names_the_file_and_the_entry(tmp_path: Path) -> None:
    rules = tmp_path / "rules.toml"
    rules.write_text('rules = [\n { wrong = "甲", right = "乙", category = "F" },\n'
                     ' { wrong = "秸杆", right = "秸秆", category = "G" },\n]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"rules\.toml: rules\[1\] \('秸杆'\): category"):
        build_rules(extra_file=str(rules))


def test_exception_not_containing_the_wrong_form_is_refused_with_its_entry(tmp_path: Path) -> None:
    rules = tmp_path / "r.toml"
    rules.write_text('rules = [{ wrong = "座落", right = "坐落", category = "F", exceptions = ["讲座"] }]\n',
                     encoding="utf-8")
    with pytest.raises(ConfigError, match=r"r\.toml: rules\[0\] \('座落'\): .*does not contain"):
        build_rules(extra_file=str(rules))


def test_settings_naming_a_bad_rules_file_stop_with_the_file_and_entry(tmp_path: Path) -> None:
    rules = tmp_path / "local_rules.toml"
    rules.write_text('rules = [{ wrong = "甲", right = "乙", category = "F", colour = "red" }]\n', encoding="utf-8")
    user = tmp_path / "settings.toml"
    user.write_text(f'[checks.expression_error]\nextra_rules_file = "{rules}"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"local_rules\.toml: rules\[0\] \('甲'\): colour: unknown key"):
        load_checked_settings(user, environ={})


def test_options_refuse_unknown_disabled_rules_bad_inline_rules_and_fuzzy_pairs() -> None:
    with pytest.raises(ValueError, match="not the `wrong` form"):
        Options.shipped(disabled_rules=["不存在的词"])
    with pytest.raises(ValueError, match="extra_rules.0.category"):
        Options.shipped(extra_rules=[{"wrong": "甲", "right": "乙", "category": "Z"}])
    with pytest.raises(ValueError, match="unknown pair"):
        Options.shipped(fuzzy=["x=y"])


def test_default_options_equal_the_settings_toml_section() -> None:
    assert check_options(load_settings(environ={}), "expression_error") == Options.shipped()


def test_shipped_rules_file_is_valid_toml_and_a_repeated_wrong_form_is_dated_apart() -> None:
    data = tomllib.loads(RULES_FILE.read_text(encoding="utf-8"))
    wrong = [r["wrong"] for r in data["rules"]]
    assert len(set(wrong)) >= 55
    for form in {w for w in wrong if wrong.count(w) > 1}:
        periods = sorted((r.get("valid_from"), r.get("valid_until")) for r in data["rules"] if r["wrong"] == form)
        assert all(a[1] is not None and b[0] is not None and a[1] < b[0] for a, b in zip(periods, periods[1:])), form


# ------------------------------------------------------------------ accounts
ACCOUNT = Account(id="wx-001", name="测试发布", platform="wechat", owner="测试县人民政府")


def run_account(posts: list[Post]) -> list[dict[str, Any]]:
    ctx = CheckContext(Period.for_as_of(AS_OF), Options.shipped(), shipped_settings())
    return [f.to_dict() for f in CHECK.run_account(ACCOUNT, AccountSnapshot(account_id=ACCOUNT.id, posts=posts), ctx)]


def post(key: str, when: datetime, title: str, text: str = "", url: str = "") -> Post:
    return Post(key=key, published_at=when, title=title, text=text, url=url)


def test_account_posts_of_the_period_are_checked_title_and_text() -> None:
    posts = [post("p1", datetime(2021, 8, 10, 2, tzinfo=UTC), "县工商局开展检查", "深入学习习进平讲话",
                  url="http://127.0.0.1:8103/p1"),
             post("p2", datetime(2021, 8, 11, 2, tzinfo=UTC), "秸杆禁烧"),
             post("p0", datetime(2021, 7, 30, 2, tzinfo=UTC), "布署工作")]
    result = run_account(posts)
    assert [(f["url"], f["text"], f["severity"]) for f in result] == [
        ("http://127.0.0.1:8103/p1", "工商局", "deduct"), ("http://127.0.0.1:8103/p1", "习进平", "veto"),
        ("post:p2", "秸杆", "deduct")]


def test_account_post_time_decides_time_aware_rules() -> None:
    old = post("p1", datetime(2021, 8, 10, 2, tzinfo=UTC), "银保监会发布通知")
    assert run_account([old]) == []


# ------------------------------------------------------------------ precision on correct text
ORDINARY = """县人民政府办公室关于做好2021年度防汛工作的通知。各乡镇人民政府，县直各部门：为切实做好今年防汛工作，
现将有关事项通知如下。一、提高思想认识。各地各部门要以习近平新时代中国特色社会主义思想为指导，深入学习贯彻习近平总书记
关于防灾减灾救灾的重要论述，增强“四个意识”、坚定“四个自信”、做到“两个维护”。二、压实工作责任。截至目前，全县已排查
隐患点42处，完成整改39处。报名截止日期为2021年8月31日，逾期不予受理。申报截止时间为6月30日17时。本次征文活动于7月15日
截止。材料提交截止到9月1日，请各单位按时报送。
市政协召开十三届二次会议，政协委员围绕乡村振兴建言献策。市政协主席出席会议并讲话。会议指出，要坚持全面从严治党，持续推进
党风廉政建设和反腐败斗争。中国证协会长在论坛上致辞。全国人大农委组织开展执法检查。县生态环境局联合县农业农村局开展秸秆禁烧
巡查，县市场监督管理局开展食品安全检查。我们要做为人民服务的好干部，做为民务实清廉的表率。惠民讲座落地社区，一座落成于上世纪
的老桥修缮完工。农业部门和文化部门协同推进文旅融合。社会主义核心价值体系建设和社会主义核心价值观教育同步推进。
推进平安建设，学习进一步深入，推动理论学习进平台、进社区。这句话有两层意思。他的能力强，管理强化了。我们正写着总结材料，行政写作培训会议下周召开。
今天天气很好，我和朋友去公园散步。湖边有很多人在钓鱼，孩子们在草地上放风筝。中午我们在一家小饭馆吃了面条，味道不错。
下午去书店买了几本书，有历史的，也有小说。晚上回家做饭，炒了两个菜，煮了一锅汤。周末打算去郊外爬山，顺便看看老家的亲戚。
坚定道路自信、理论自信、制度自信、文化自信。统筹推进经济建设、政治建设、文化建设、社会建设、生态文明建设“五位一体”总体布局。
坚持创新、协调、绿色、开放、共享的新发展理念。富强、民主、文明、和谐，自由、平等、公正、法治，爱国、敬业、诚信、友善。
2016年，县环保局、县国土资源局、县工商局联合开展执法检查。原县环保局局长调任。美国环保局发布报告。中共中央总书记、国家主席、
中央军委主席习近平发表重要讲话。国务院总理李强主持召开国务院常务会议。全国人大常委会委员长赵乐际出席。全国政协主席王沪宁出席。
区纪委书记李喜带队检查。副市长李强调研企业。市委副书记蔡琪出席活动。县政协主席王洋作工作报告。"""


@pytest.mark.parametrize("published", [date(2021, 8, 2), None])
def test_ordinary_correct_text_gives_no_finding(published: date | None) -> None:
    assert run_site([page("o.html", ORDINARY, published)]) == []


def visible_text(html: str) -> str:
    tree = LexborHTMLParser(html)
    for node in tree.css("script, style, noscript, template"):
        node.decompose()
    return tree.body.text(separator="\n") if tree.body else ""


def real_pages(fetched_when_undated: datetime) -> list[PageSnapshot]:
    """The real government pages with their true publication dates (manifest); an undated page
    is taken as fetched at ``fetched_when_undated``."""
    manifest = json.loads((REAL_PAGES / "manifest.json").read_text(encoding="utf-8"))
    pages = []
    for entry in manifest["pages"]:
        html = (REAL_PAGES / entry["file"]).read_text(encoding="utf-8")
        published = date.fromisoformat(entry["newest_item_date"]) if entry["newest_item_date"] else None
        fetched = fetched_when_undated if published is None else datetime(published.year, published.month,
                                                                          published.day, 8, tzinfo=UTC)
        pages.append(page(entry["file"], visible_text(html), published, fetched))
    return pages


# Real pages that carry a true hit: the 2025 NFRA Zhejiang page's template still prints the
# former regulator's name on a line of its own (文号 field), an outdated name on a current page.
TRUE_HITS = {"nfra_xzcf_zhejiang_article_2025.html"}


def test_real_government_pages_give_zero_findings() -> None:
    pages = [p for p in real_pages(datetime(2021, 8, 31, 4, tzinfo=UTC)) if p.url.rsplit("/", 1)[-1] not in TRUE_HITS]
    assert len(pages) >= 6 and sum(len(p.text) for p in pages) > 10000
    assert run_site(pages) == []


@pytest.mark.parametrize("name", ["nfra_xzcf_article_2024.html", "nfra_xzcf_zhejiang_article_2025.html"])
def test_old_decisions_listed_on_a_regulators_page_keep_their_issuers_name(name: str) -> None:
    """The menus list 2021–2022 decisions titled 中国银行保险监督管理委员会…决定书〔2022〕3号: the
    issuer's name when each was issued, no error on a 2024/2025 page (document numbers date them,
    撤销决定书 names a former act)."""
    [page] = [p for p in real_pages(datetime(2021, 8, 31, 4, tzinfo=UTC)) if p.url.endswith("/" + name)]
    result = run_site([page], as_of=page.published)
    assert all("决定书" not in f["context"] for f in result)
    expected = [("中国银行保险监督管理委员会", "deduct", "中国银行保险监督管理委员会")] if name in TRUE_HITS else []
    assert [(f["text"], f["severity"], f["context"]) for f in result] == expected


def test_a_renamed_issuer_in_a_document_title_is_no_fault() -> None:
    day, as_of = date(2024, 7, 12), date(2024, 7, 31)
    assert found("中国银行保险监督管理委员会行政监管措施决定书〔2021〕4号", published=day, as_of=as_of) == []
    assert found("根据《中国银行保险监督管理委员会行政处罚办法》有关规定", published=day, as_of=as_of) == []
    assert found("中国银行保险监督管理委员会行政监管措施决定书", published=day, as_of=as_of) == [
        ("中国银行保险监督管理委员会", "国家金融监督管理总局", "D", "dictionary", "notice")]
    assert found("中国银行保险监督管理委员会持续加强监管。", published=day, as_of=as_of) == [
        ("中国银行保险监督管理委员会", "国家金融监督管理总局", "D", "dictionary", "deduct")]


def test_the_most_severe_occurrence_of_a_wrong_form_on_a_page_decides() -> None:
    text = "中国银行保险监督管理委员会行政监管措施决定书\n中国银行保险监督管理委员会持续加强监管。"
    assert found(text, published=date(2024, 7, 12), as_of=date(2024, 7, 31)) == [
        ("中国银行保险监督管理委员会", "国家金融监督管理总局", "D", "dictionary", "deduct")]


def test_real_undated_page_naming_the_banking_regulator_seen_after_2023_gets_notices_only() -> None:
    """The CBIRC licence page carries no date; 银保监会 existed when it was saved. Seen in 2024,
    its owner's name is outdated, but without a date that is for a person to confirm."""
    pages = [p for p in real_pages(datetime(2024, 1, 5, 4, tzinfo=UTC)) if "cbirc" in p.url]
    result = run_site(pages, as_of=date(2023, 12, 31))
    assert [(f["text"], f["suggestion"], f["severity"]) for f in result] == [
        ("银保监会", "国家金融监督管理总局", "notice"), ("中国银行保险监督管理委员会", "国家金融监督管理总局", "notice")]


# ------------------------------------------------------------------ dated entries
def test_covid_name_is_right_on_a_2021_page_and_an_error_on_a_page_after_the_rename() -> None:
    text = "全力做好新冠肺炎疫情防控工作。"
    assert found(text, published=date(2021, 8, 2)) == []
    assert found(text, published=date(2022, 12, 26), as_of=date(2023, 1, 31)) == []
    assert found(text, published=date(2023, 1, 5), as_of=date(2023, 1, 31)) == [
        ("新冠肺炎", "新冠病毒感染", "D", "dictionary", "deduct")]


def test_an_undated_page_is_judged_on_the_as_of_and_a_dated_hit_there_is_a_notice() -> None:
    text = "全力做好新冠肺炎疫情防控工作。"
    assert found(text, published=None, as_of=date(2021, 8, 31)) == []
    assert found(text, published=None, as_of=date(2023, 1, 31)) == [
        ("新冠肺炎", "新冠病毒感染", "D", "dictionary", "notice")]


def test_a_wrong_form_dated_twice_suggests_the_name_of_the_page_date() -> None:
    text = "中国银监会发布通知。"
    assert found(text, published=date(2017, 5, 2), as_of=date(2017, 5, 31)) == []
    assert found(text, published=date(2020, 5, 2), as_of=date(2020, 5, 31)) == [
        ("中国银监会", "中国银保监会", "D", "dictionary", "deduct")]
    assert found(text, published=date(2024, 5, 2), as_of=date(2024, 5, 31)) == [
        ("中国银监会", "国家金融监督管理总局", "D", "dictionary", "deduct")]


def test_an_entry_valid_until_a_day_is_no_hit_after_it() -> None:
    extra = [{"wrong": "甲局长", "right": "乙局长", "category": "B", "valid_from": date(2020, 1, 1),
              "valid_until": date(2020, 12, 31)}]
    assert found("甲局长讲话", published=date(2020, 12, 31), extra_rules=extra) == [
        ("甲局长", "乙局长", "B", "dictionary", "veto")]
    assert found("甲局长讲话", published=date(2021, 1, 1), extra_rules=extra) == []


def test_the_older_after_key_still_reads_as_the_next_day() -> None:
    [rule] = [r for r in build_rules([RuleEntry(wrong="甲局", right="乙局", category="D", after=date(2020, 1, 1))])
              if r.wrong == "甲局"]
    assert (rule.valid_from, rule.valid_until) == (date(2020, 1, 2), None)


def test_bad_dates_in_a_rules_file_name_the_file_and_the_entry(tmp_path: Path) -> None:
    rules = tmp_path / "dated.toml"
    rules.write_text('rules = [\n { wrong = "甲", right = "乙", category = "F" },\n'
                     ' { wrong = "丙局", right = "丁局", category = "D", valid_from = 2021-01-01, valid_until = 2020-01-01 },\n'
                     ']\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dated\.toml: rules\[1\] \('丙局'\): .*valid_until 2020-01-01 is before"):
        build_rules(extra_file=str(rules))
    rules.write_text('rules = [\n { wrong = "丙局", right = "丁局", category = "D", valid_from = 2019-01-01 },\n'
                     ' { wrong = "丙局", right = "戊局", category = "D", valid_from = 2020-01-01 },\n]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dated\.toml: rules\[1\] \('丙局'\): repeats rules\[0\] for overlapping dates"):
        build_rules(extra_file=str(rules))
    rules.write_text('rules = [{ wrong = "丙局", right = "丁局", category = "D", after = 2019-01-01, '
                     'valid_from = 2019-01-02 }]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"dated\.toml: rules\[0\] \('丙局'\): .*not both"):
        build_rules(extra_file=str(rules))


def test_bad_dates_in_a_key_terms_file_name_the_file_and_the_entry(tmp_path: Path) -> None:
    terms = tmp_path / "terms.toml"
    terms.write_text('[[leaders]]\nname = "张三"\ncontext = ["主席"]\nvalid_from = 2020-01-01\nvalid_until = 2019-01-01\n',
                     encoding="utf-8")
    with pytest.raises(ConfigError, match=r"terms\.toml: leaders\[0\] \('张三'\): .*valid_until"):
        load_key_terms(str(terms))
    terms.write_text('[context_lexicon]\nright = ["协"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"terms\.toml: context_lexicon\.right: '协'"):
        load_key_terms(str(terms))


# ------------------------------------------------------------------ one page is one page
def variant(url: str, text: str, digest: str = "", published: date | None = date(2021, 8, 2)) -> PageSnapshot:
    return PageSnapshot(url=url, final_url=url, status=200, fetched_at=AT, published=published, text=text,
                        content_hash=digest)


def test_addresses_of_one_content_are_one_page_and_each_error_counts_once() -> None:
    text = "深入学习习进平同志讲话。秸杆禁烧。再说秸杆。"
    pages = [variant(HOME + "art/art_1.html", text, "h1"), variant(HOME + "art/art_1.html?from=next", text, "h1"),
             variant(HOME.replace("http:", "https:") + "art/art_1.html", text + " ", "h2"),
             variant(HOME + "art/art_2.html", "秸杆还田", "h3")]
    result = run_site(pages)
    assert [(f["url"].removeprefix(HOME), f["text"], f.get("urls")) for f in result] == [
        ("art/art_1.html", "习进平", [HOME + "art/art_1.html", HOME + "art/art_1.html?from=next",
                                    HOME.replace("http:", "https:") + "art/art_1.html"]),
        ("art/art_1.html", "秸杆", [HOME + "art/art_1.html", HOME + "art/art_1.html?from=next",
                                   HOME.replace("http:", "https:") + "art/art_1.html"]),
        ("art/art_2.html", "秸杆", None)]


def test_a_home_page_under_slash_and_index_html_is_one_page() -> None:
    home = variant(HOME, "秸杆禁烧", "a")
    result = run_site([variant(HOME + "index.html", "秸杆禁烧 ", "b")], home=home)
    assert [(f["url"], f["text"], f["urls"]) for f in result] == [(HOME, "秸杆", [HOME, HOME + "index.html"])]


def test_scoring_of_the_shipped_settings_never_scores_a_suspected_error() -> None:
    settings = load_settings(environ={})
    home = page("", "首页")
    snap = SiteSnapshot(site_id=SITE.id, url=HOME, started_at=AT, home=home,
                        pages=[home, page("a.html", "伟大的共合国。增强政治意识、核心意识、大局意识、看齐意识。")])
    result = judge_site(SITE, snap, period=Period.for_as_of(AS_OF), settings=settings, registered=[CHECK])
    assert (result["verdict"], result["score"]) == ("pass", 100.0)
    assert [(f["rule"], f["severity"], f["points"], f["clause"][:2]) for f in result["findings"]] == [
        ("near_miss", "notice", 0.0, "疑似"), ("enumeration", "notice", 0.0, "疑似")]


def test_a_suggestion_holding_another_error_of_the_same_days_is_refused(tmp_path: Path) -> None:
    rules = tmp_path / "chain.toml"
    rules.write_text('rules = [\n { wrong = "甲办", right = "乙局", category = "D", valid_from = 2020-01-01 },\n'
                     ' { wrong = "乙局", right = "丙局", category = "D", valid_from = 2022-01-01 },\n]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match=r"chain\.toml: rules\[0\] \('甲办'\): right '乙局' holds '乙局', itself an "
                                          r"error on overlapping dates \(.*chain\.toml: rules\[1\]"):
        build_rules(extra_file=str(rules))
    rules.write_text('rules = [\n { wrong = "甲办", right = "乙局", category = "D", valid_from = 2020-01-01, '
                     'valid_until = 2021-12-31 },\n'
                     ' { wrong = "甲办", right = "丙局", category = "D", valid_from = 2022-01-01 },\n'
                     ' { wrong = "乙局", right = "丙局", category = "D", valid_from = 2022-01-01 },\n]\n', encoding="utf-8")
    assert {(r.wrong, r.right) for r in build_rules(extra_file=str(rules))} >= {("甲办", "乙局"), ("甲办", "丙局")}


def test_a_dated_hit_carries_the_day_it_was_judged_on_and_the_entrys_validity() -> None:
    [dated] = run_site([page("a.html", "全力做好新冠肺炎疫情防控工作。", date(2023, 1, 5))], as_of=date(2023, 1, 31))
    assert {k: dated[k] for k in ("judged_on", "valid_from", "severity")} == {
        "judged_on": "2023-01-05", "valid_from": "2022-12-27", "severity": "deduct"}
    assert "valid_until" not in dated and "undated" not in dated
    [undated] = run_site([page("a.html", "中国银监会发布通知。", None)], as_of=date(2020, 5, 31))
    assert {k: undated[k] for k in ("judged_on", "valid_from", "valid_until", "undated", "severity")} == {
        "judged_on": "2020-05-31", "valid_from": "2018-04-09", "valid_until": "2023-05-18", "undated": True,
        "severity": "notice"}


def test_a_list_row_dated_before_the_rename_is_judged_by_its_own_date_not_the_pages() -> None:
    rows = "关于做好新冠肺炎疫情防控工作的通知\n2021-05-01\n关于开展爱国卫生运动的通知\n2023-01-10\n"
    assert found(rows, published=date(2023, 1, 10), as_of=date(2023, 1, 31)) == []
    assert found("关于做好新冠肺炎患者救治工作的通知\n2023-01-05\n", published=date(2023, 1, 10),
                 as_of=date(2023, 1, 31)) == [("新冠肺炎", "新冠病毒感染", "D", "dictionary", "deduct")]
    assert found("发布时间：2023年1月5日\n全力做好新冠肺炎疫情防控工作。", published=date(2023, 1, 5),
                 as_of=date(2023, 1, 31)) == [("新冠肺炎", "新冠病毒感染", "D", "dictionary", "deduct")]


def test_pages_that_were_not_read_as_the_sites_own_are_not_judged() -> None:
    wrong = "中华人民共合国成立七十周年。"
    states = ("blocked", "soft_404", "out_of_scope", "not_parsed", "script_rendered")
    unread = [page(f"/{state}.html", wrong).model_copy(update={"state": state}) for state in states]
    assert run_site(unread) == []
    assert run_site([page("/ok.html", wrong)]) != []
