"""The progress bar of a long batch counts pages when the batch holds PDFs."""
from contextlib import contextmanager
from types import SimpleNamespace

import pytest

from gxgrammar.cli import batch

from conftest import ROOT

PDFS = sorted((ROOT / "examples" / "pdf").glob("*.pdf"))
TEXT = ROOT / "examples" / "tsv" / "luming-sthj-2021.txt"


@pytest.fixture
def bar(monkeypatch):
    seen = SimpleNamespace(length=None, label=None, updates=[])

    @contextmanager
    def progressbar(length, label, **_):
        seen.length, seen.label = length, label
        yield SimpleNamespace(update=seen.updates.append)

    monkeypatch.setattr(batch.click, "progressbar", progressbar)
    return seen


def test_a_batch_with_pdfs_counts_their_pages(bar):
    pytest.importorskip("pypdfium2")
    from gxgrammar.readers.pdf import page_count
    paths = [*PDFS, TEXT]
    pages = [page_count(p) for p in PDFS]
    assert all(n > 1 for n in pages)
    items = [SimpleNamespace(path=batch.inputs.display(p)) for p in paths]
    assert list(batch.progress(iter(items), paths, enabled=True)) == items
    assert bar.label == "parsing (pages)"
    assert bar.length == sum(pages) + 1
    assert bar.updates == [*pages, 1]


def test_a_batch_of_text_counts_reports(bar):
    paths = [TEXT, TEXT.with_name("tongling-scjg-2019.txt")]
    items = [SimpleNamespace(path=batch.inputs.display(p)) for p in paths]
    assert list(batch.progress(iter(items), paths, enabled=True)) == items
    assert (bar.label, bar.length, bar.updates) == ("parsing", 2, [1, 1])


def test_no_bar_when_standard_error_is_not_a_terminal(bar):
    items = [SimpleNamespace(path="a")]
    assert list(batch.progress(iter(items), [TEXT], enabled=False)) == items
    assert bar.length is None
