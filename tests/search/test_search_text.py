"""How search folds and splits text: one normalisation and one tokeniser for
documents and queries alike."""

import pytest

from search.query import Search, Term
from search.tokens import normalise, searchable_body, tokens


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Ｗｉｎｄｏｗｓ １１", "windows 11"),
        ("遊戲動畫", "游戏动画"),
        ("iPhone", "iphone"),
        ("ＡＰＰＬＥ（苹果）", "apple(苹果)"),
        ("STRASSE straße", "strasse strasse"),
    ],
)
def test_full_width_case_and_traditional_characters_fold_to_one_spelling(text, folded):
    assert normalise(text) == folded


def test_a_chinese_run_becomes_overlapping_bigrams_then_its_last_character():
    assert tokens("电动汽车") == ["电动", "动汽", "汽车", "车"]


def test_latin_words_and_numbers_stay_whole():
    assert tokens("Windows11 更新 h264, 5G!") == ["windows11", "更新", "新", "h264", "5g"]


def test_punctuation_separates_runs():
    assert tokens("电动，汽车") == ["电动", "动", "汽车", "车"]


def test_a_lone_character_is_one_token():
    assert tokens("车 a") == ["车", "a"]


def test_documents_leave_out_markup_and_addresses():
    body = (
        '<p><span style="x">读者看到的</span> <a href="https://e.com/span">链接</a>'
        " 见 https://e.com/style 和 www.e.com</p>"
    )
    assert searchable_body(body).split() == ["读者看到的", "链接", "见", "和"]


def test_a_query_term_is_a_phrase_of_its_tokens_without_the_trailing_character():
    assert Term.parse("电动汽车") == Term("电动汽车", ("电动", "动汽", "汽车"), prefix=False)


def test_a_term_ending_in_one_chinese_character_matches_it_as_a_prefix():
    assert Term.parse("车") == Term("车", ("车",), prefix=True)
    assert Term.parse("a车") == Term("a车", ("a", "车"), prefix=True)


def test_inside_a_term_a_chinese_run_keeps_its_last_character_as_documents_do():
    assert Term.parse("手机iphone").tokens == ("手机", "机", "iphone")


def test_query_syntax_quotes_exclusions_and_spaces():
    terms = Search.parse('苹果 "Apple Watch" -广告 -"iPhone 15"').terms
    assert [(term.text, term.excluded) for term in terms] == [
        ("苹果", False),
        ("apple watch", False),
        ("广告", True),
        ("iphone 15", True),
    ]


def test_chinese_quotes_make_a_phrase():
    assert [term.tokens for term in Search.parse("“苹果 发布会”").terms] == [("苹果", "果", "发布", "布会")]


def test_the_query_is_folded_like_the_documents():
    assert [term.text for term in Search.parse("遊戲 Ｗｉｎｄｏｗｓ").terms] == ["游戏", "windows"]


def test_a_lone_minus_is_not_an_exclusion():
    assert [term.text for term in Search.parse("- 电池").terms] == ["电池"]


def test_highlighting_marks_other_spellings_of_the_term_in_the_text_as_written():
    assert Search.parse("游戏 windows").highlight("台灣遊戲 和 Ｗｉｎｄｏｗｓ") == (
        "台灣<mark>遊戲</mark> 和 <mark>Ｗｉｎｄｏｗｓ</mark>"
    )


def test_highlighting_marks_latin_words_only_whole():
    assert Search.parse("span").highlight("span spanning") == "<mark>span</mark> spanning"


def test_excluded_terms_are_not_highlighted():
    assert Search.parse("电池 -汽车").highlight("汽车电池") == "汽车<mark>电池</mark>"
