"""Regular expressions kept between runs: a pattern built from the kept program matches
exactly as `re.compile` makes it match, and a missing, foreign or broken file only
costs the time of compiling again."""
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from gxgrammar import cache

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted((ROOT / "examples").glob("*/*.txt"))[:6]

# Every pattern the package compiles while it reads the examples, built through the cache
# and by re, must agree on what they are and on every match in the examples' text.
SCRIPT = r"""
import json, re, sys
import gxgrammar
from gxgrammar import cache
texts = []
for path in sys.argv[1:]:
    gxgrammar.parse_file(path)
    texts.append(open(path, encoding="utf-8").read())
loaded = len(cache._programs.stored)
different = []
for pattern, flags in sorted(cache._programs.used):
    kept, compiled = cache.regex(pattern, flags), re.compile(pattern, flags)
    same = (kept.pattern, kept.flags, kept.groups, kept.groupindex) == \
        (compiled.pattern, compiled.flags, compiled.groups, compiled.groupindex)
    for text in texts:
        for line in text.split("\n"):
            same = same and [m.span() + m.groups() for m in kept.finditer(line)] == \
                [m.span() + m.groups() for m in compiled.finditer(line)]
    if not same:
        different.append(pattern)
print(json.dumps({"used": len(cache._programs.used), "loaded": loaded,
                  "new": len(cache._programs.new), "different": different}))
"""

needs_cpython_engine = pytest.mark.skipif(cache._FORMAT is None, reason="this Python's re has no compiler to keep")


def _run(home, script=SCRIPT, args=()):
    env = {**os.environ, "XDG_CACHE_HOME": str(home)}
    out = subprocess.run([sys.executable, "-c", script, *map(str, args)], env=env,
                         capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def _kept_file(home):
    return next((home / "gxgrammar").glob("regex-programs-*.marshal"))


@needs_cpython_engine
def test_patterns_from_the_kept_programs_match_as_re_compiles_them(tmp_path):
    first = _run(tmp_path, args=EXAMPLES)
    assert first["loaded"] == 0 and first["new"] == first["used"] > 150
    assert first["different"] == []
    second = _run(tmp_path, args=EXAMPLES)
    assert second["loaded"] >= second["used"] and second["new"] == 0
    assert second["different"] == []


@needs_cpython_engine
@pytest.mark.parametrize("content", [b"", b"not marshal data", b"\xe9\x00\x00\x00\x00"])
def test_a_broken_file_is_compiled_again_and_rewritten(tmp_path, content):
    _run(tmp_path, args=EXAMPLES[:1])
    kept = _kept_file(tmp_path)
    kept.write_bytes(content)
    again = _run(tmp_path, args=EXAMPLES[:1])
    assert again["loaded"] == 0 and again["new"] == again["used"] and again["different"] == []
    assert kept.stat().st_size > 10_000


@needs_cpython_engine
def test_a_foreign_entry_falls_back_to_re(tmp_path):
    # A program that is not one (as another Python's might be): the pattern still works.
    script = r"""
from gxgrammar import cache
cache._programs.load()
cache._programs.stored[("a(b)c", 0)] = (0, bytes(12), 0, {}, ())
print(__import__("json").dumps({"span": cache.regex("a(b)c").search("xabc").span()}))
"""
    assert _run(tmp_path, script) == {"span": [1, 4]}


def test_the_cache_folder_falls_back_to_the_temporary_folder(tmp_path):
    blocked = tmp_path / "a-file"
    blocked.write_text("")
    script = "import json; from gxgrammar import cache; print(json.dumps({'folder': cache.folder()}))"
    import tempfile
    assert _run(blocked, script)["folder"] == tempfile.gettempdir()
