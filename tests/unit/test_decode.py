"""Decoding: header charset, then <meta>, then detection; GBK family decodes as GB18030."""

from __future__ import annotations

from monitor.net.decode import canonical, decode

# 镕 (U+9555) is in GBK but not in GB2312: real "gb2312" pages use it (朱镕基).
TEXT = "<html><head><title>关于朱镕基同志讲话精神的学习通知</title></head><body>" + "政府信息公开目录，通知公告。" * 40 + "</body></html>"
META_GB2312 = '<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'


def test_gbk_bytes_with_gb2312_header_decode_without_errors() -> None:
    text, encoding = decode(TEXT.encode("gbk"), "text/html; charset=GB2312")
    assert encoding == "gb18030"
    assert "朱镕基" in text and "\ufffd" not in text


def test_gb18030_four_byte_characters_decode() -> None:
    page = "<title>㐀𠀀 通知公告</title>" + "政府" * 50
    text, encoding = decode(page.encode("gb18030"), "text/html; charset=gbk")
    assert encoding == "gb18030" and "㐀𠀀" in text


def test_meta_http_equiv_is_used_when_the_header_has_no_charset() -> None:
    body = (META_GB2312 + TEXT).encode("gbk")
    text, encoding = decode(body, "text/html")
    assert encoding == "gb18030" and "朱镕基" in text


def test_meta_charset_attribute_is_used() -> None:
    body = ('<meta charset="GBK">' + TEXT).encode("gbk")
    assert decode(body, None) == (('<meta charset="GBK">' + TEXT), "gb18030")


def test_header_charset_wins_over_meta() -> None:
    body = ('<meta charset="big5">' + TEXT).encode("gbk")
    text, encoding = decode(body, "text/html; charset=gbk")
    assert encoding == "gb18030" and "朱镕基" in text


def test_latin1_header_gives_way_to_meta() -> None:
    body = (META_GB2312 + TEXT).encode("gbk")
    text, encoding = decode(body, "text/html; charset=ISO-8859-1")
    assert encoding == "gb18030" and "朱镕基" in text


def test_utf8_without_any_declaration_is_detected() -> None:
    assert decode(TEXT.encode("utf-8"), "text/html") == (TEXT, "utf-8")


def test_gbk_without_any_declaration_is_detected() -> None:
    text, encoding = decode(TEXT.encode("gbk"), "text/html")
    assert encoding == "gb18030" and "政府信息公开目录" in text


def test_utf8_bom_wins_and_is_stripped() -> None:
    text, encoding = decode(b"\xef\xbb\xbf" + TEXT.encode("utf-8"), "text/html; charset=gbk")
    assert (text, encoding) == (TEXT, "utf-8")


def test_valid_utf8_labelled_gbk_is_read_as_utf8() -> None:
    text, encoding = decode(TEXT.encode("utf-8"), "text/html; charset=gbk")
    assert (text, encoding) == (TEXT, "utf-8")


def test_gbk_labelled_utf8_falls_back_to_detection() -> None:
    text, encoding = decode(TEXT.encode("gbk"), "text/html; charset=utf-8")
    assert encoding == "gb18030" and "朱镕基" in text


def test_body_cut_inside_a_multibyte_character_still_decodes() -> None:
    body = TEXT.encode("utf-8")[:-len("</body></html>") - 1]
    text, encoding = decode(body, "text/html; charset=utf-8")
    assert encoding == "utf-8" and text.endswith("通知公告")


def test_garbage_never_raises() -> None:
    text, encoding = decode(bytes(range(256)) * 8, "text/html; charset=no-such-charset")
    assert isinstance(text, str) and encoding


def test_canonical_maps_the_gbk_family_to_gb18030() -> None:
    assert {canonical(x) for x in ("gb2312", "GBK", "x-gbk", "cp936", "GB18030")} == {"gb18030"}
    assert canonical("UTF8") == "utf-8" and canonical("nonsense") is None
