"""A small run of the fuzzer (bench/fuzz.py) with a fixed seed: mutants of the examples
must never raise an internal error, never give a wrong cell or a blank turned into 0
without a finding, and always account for every cell.

The full run is `python bench/fuzz.py -n 10000 --seed 1`; times are measured there, not
here (a test does not time). Set GXGRAMMAR_FUZZ=N to run N mutants here instead.
"""
import importlib.util
import os
import sys

import pytest

from conftest import ROOT

COUNT = int(os.environ.get("GXGRAMMAR_FUZZ", "500"))


@pytest.fixture(scope="module")
def fuzz():
    spec = importlib.util.spec_from_file_location("gxgrammar_bench_fuzz", ROOT / "bench" / "fuzz.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module      # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def outcomes(fuzz):
    # Lines of up to 100,000 characters: longer ones cost the test time, not the parser.
    return fuzz.run(COUNT, seed=20240601, max_huge=100_000)


def test_no_mutant_raises_an_internal_error(fuzz, outcomes):
    assert [fuzz.describe(o) for o in outcomes if o.result == "internal error"] == []


def test_no_mutant_has_a_wrong_cell_or_a_blank_turned_into_0_without_a_finding(fuzz, outcomes):
    assert [fuzz.describe(o) for o in outcomes if o.wrong or o.zeros] == []


def test_every_cell_of_every_mutant_is_accounted_for(fuzz, outcomes):
    assert [fuzz.describe(o) for o in outcomes if o.incomplete] == []


def test_the_run_covers_every_kind_of_mutation(fuzz, outcomes):
    rows = fuzz.tally(outcomes)
    assert {k for k in fuzz.KINDS if rows[k]["mutants"]} == set(fuzz.KINDS)
    assert rows["all"]["parsed"] > COUNT // 2
