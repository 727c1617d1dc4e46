"""The layout parsers' tree callbacks, written out one function a rule, build the grids
that lark's own callbacks build."""
import gxgrammar
from gxgrammar.layouts import registry
from gxgrammar.layouts.callbacks import written_out
from gxgrammar.layouts.grid import GridBuilder, build_grid

from conftest import ALL_EXAMPLES


def _grid(parsed):
    g = build_grid(parsed)
    return [([(c.text, c.line, c.column, c.joined, c.span) for c in r.cells], r.line, r.end_line)
            for r in g.rows], sorted(g.prose_lines)


def _tables_read(monkeypatch):
    """(layout, text) of every table text a layout grammar read in the examples."""
    seen, parse = [], registry.Layout.parse

    def recording(self, text):
        seen.append((self, text))
        return parse(self, text)
    monkeypatch.setattr(registry.Layout, "parse", recording)
    for path in ALL_EXAMPLES:
        gxgrammar.parse_file(path)
    monkeypatch.undo()
    return seen


def test_every_built_in_layout_has_its_callbacks_written_out():
    for lay in registry.layouts().values():
        assert all(getattr(f, "__name__", "") == "rule" for f in lay.parser._callbacks.values()), lay.name


def test_the_written_out_callbacks_build_the_grids_lark_builds(monkeypatch):
    tables = _tables_read(monkeypatch)
    assert len({lay.name for lay, _ in tables}) >= 10
    for lay, text in tables:
        parser = lay.parser
        ours = dict(parser._callbacks)
        theirs = parser._parse_tree_builder.create_callback(parser.options.transformer)
        try:
            parser._callbacks.update(theirs)
            try:
                expected = _grid(parser.parse(text))
            except Exception as e:          # a layout that does not read this table: the same error
                expected = type(e)
        finally:
            parser._callbacks.update(ours)
        try:
            got = _grid(parser.parse(text))
        except Exception as e:
            got = type(e)
        assert got == expected, (lay.name, text[:80])


def test_a_parser_whose_rules_carry_positions_keeps_lark_callbacks():
    from lark import Lark
    parser = Lark("start: row+\nrow: WORD _NL\n_NL: /\\n/\n%import common.WORD", parser="lalr",
                  propagate_positions=True, transformer=GridBuilder())
    assert not written_out(parser, GridBuilder().node_for)


def test_the_document_grammar_outlines_as_with_lark_callbacks():
    from gxgrammar.readers import read_document
    from gxgrammar.structure import document
    from gxgrammar.structure.running import split_running_text

    def outlined(source):
        o = document.outline(source)
        return ([(p.number, p.line, p.start, p.end) for p in o.parts], [str(t) for t in o.title],
                [str(t) for t in o.preamble], o.signature, o.signed, o.appendix)
    parser = registry.document_parser(document._BUILDER)
    ours = dict(parser._callbacks)
    assert all(getattr(f, "__name__", "") == "rule" for f in ours.values())
    theirs = parser._parse_tree_builder.create_callback(parser.options.transformer)
    sources = [split_running_text(read_document(p.read_bytes(), str(p), None, None)) for p in ALL_EXAMPLES]
    try:
        parser._callbacks.update(theirs)
        expected = [outlined(s) for s in sources]
    finally:
        parser._callbacks.update(ours)
    assert [outlined(s) for s in sources] == expected
