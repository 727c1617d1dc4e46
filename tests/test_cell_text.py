"""A web page's cell text: the quick way for a cell of one line gives what the walk gives."""
from hypothesis import given, settings, strategies as st
from lxml import html

from gxgrammar.readers.html import _one_line, cell_text, walked_text

TEXTS = st.sampled_from(["", " ", "\n  ", "中文", "12", "ab", " 3 ", "\u00a0", "结果\n"])
TAGS = st.sampled_from(["span", "b", "font", "p", "div", "br", "script", "!--"])


def _markup(depth=3):
    def element(children):
        return st.tuples(TAGS, TEXTS, children, TEXTS).map(_written)
    leaf = st.tuples(TAGS, TEXTS, st.just([]), TEXTS).map(_written)
    return st.recursive(leaf, lambda inner: element(st.lists(inner, max_size=3)), max_leaves=6)


def _written(parts):
    tag, text, children, tail = parts
    if tag == "!--":
        return f"<!--{text}-->{tail}"
    if tag == "br":
        return f"<br>{tail}"
    return f"<{tag}>{text}{''.join(children)}</{tag}>{tail}"


@settings(deadline=None, max_examples=400)
@given(TEXTS, st.lists(_markup(), max_size=3), TEXTS)
def test_a_cell_read_at_once_reads_as_the_walk_reads_it(text, children, tail):
    page = html.fromstring(f"<table><tr><td>{text}{''.join(children)}</td><td>x</td></tr></table>")
    cell = next(page.iter("td"))
    assert cell_text(cell) == walked_text(cell)


def test_a_word_processors_cell_is_one_line_and_a_cell_of_two_paragraphs_is_not():
    page = html.fromstring("<table><tr><td> <p class=MsoNormal><span lang=EN-US>12</span></p>\n</td>"
                           "<td><p>三、本年度</p>\n<p>办理结果</p></td></tr></table>")
    word, two = page.iter("td")
    assert _one_line(word) == ("12", "12")
    assert _one_line(two) is None
    assert cell_text(two) == ("三、本年度办理结果", "三、本年度")
