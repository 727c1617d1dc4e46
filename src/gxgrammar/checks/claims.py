"""Claims in the text: the numbers the prose states about the tables, checked against them.

「全年共收到政府信息公开申请81件」 is a claim about 一、本年新收…·总计. The phrasings are
data (national/claims.py); this module finds them in each section's prose, ties each
number to the cells it names and compares. A number that no phrasing ties to a cell
(a date, 条 of information published, a telephone number, 12345热线) is left alone;
so is a claim whose cells are blank, or that could mean two sums of which one cannot
be told. A claim that contradicts its cells is a warning naming the sentence and the
cells with both values.

Only the sentences that hold a counted number (53件, 1,200元) or a statement of none
(未收到…申请) and a word of a table are read, so that long prose costs little.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from gxgrammar import national as nf
from gxgrammar.cache import regex
from gxgrammar.i18n import _
from gxgrammar.model import Finding
from gxgrammar.national import claims as wording
from gxgrammar.checks.places import Places

# A counted number (53件, 1,200元), or a statement of none (未收到…, 没有…, 无因…).
# (Its first character a class of its own, each branch telling by a lookbehind which it
# was: `re` then skips to the next of those characters instead of trying every column.)
_TRIGGER = regex(r"[\d零〇一二两三四五六七八九十百千未没无]"
                 r"(?:(?<=[\d零〇一二两三四五六七八九十百千])\s*(?:件|起|宗|万?元)"
                 r"|(?<=未)(?:收到|受理|接到|接收|发生|出现|产生|涉及|被|有)|(?<=没)有|(?<=无)(?:因|涉及|发生))")
_SPACE = regex(r"\s\s*")     # (not \s+: a pattern that starts with a class is found sooner)
_END = regex(r"[。；;！!？?]")
# The full-width punctuation the phrases are written half-width (（ is (, ， is ,); full-width
# digits are digits to the phrases already (\d), and the ideographic space is a space.
_HALF_WIDTH = tuple((chr(ord(c) + 0xFEE0), c) for c in "(),;:%.")
_WINDOW = 150        # a sentence is read at most this far either side of its number
_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"〇": 0, "两": 2}
_POWERS = {"十": 10, "百": 100, "千": 1000}


@dataclass(eq=False, slots=True)
class Claim:
    """A number the prose states, and the cells it is about. Where it stands (its words,
    line and column) is worked out when asked: most claims hold and are never shown."""
    name: str                  # the phrase's name (national/claims.py)
    table: str
    section: int
    written: str | None        # the number as written, with its unit: 「53件」 (None: a statement of none)
    value: object              # the number in the cells' unit
    alternatives: list         # [(cell keys summed)], any of which the number may be
    section_line: int | None = None    # the line of the section's heading
    section_name: str = ""             # 一 … 六, or the heading of a part that is none of them
    scope: "Claim | None" = None       # for a part (其中自然人…): the claim it is part of
    part_columns: tuple = ()
    matched: tuple | None = field(default=None, repr=False)   # the alternative that holds, once checked
    # (sentence, places, start and end of its words, offset of the number) in the compact sentence
    _at: tuple = field(default=None, repr=False)

    @property
    def quote(self):
        """The words of the claim as written."""
        sentence, places, start, end, _ = self._at
        return _quote(places.text, sentence.to_text(start), sentence.to_text(end - 1) + 1)

    @property
    def stated(self):
        return self.written if self.written is not None else self.quote

    @property
    def line(self):
        return self._where()[0]

    @property
    def column(self):
        return self._where()[1]

    def _where(self):
        sentence, places, _, _, at = self._at
        return places.at(sentence.to_text(at))

    @property
    def change(self):
        """「同比增长10%」 right after the number: {"direction", "count" or "percent", "quote"}, or None."""
        sentence, places, _, end, _ = self._at
        if self.written is None or self.scope is not None:
            return None
        change = wording.CHANGE.match(sentence.compact, end)
        if not change:
            return None
        return {"direction": change.group("direction"),
                "count": int(change.group("count")) if change.group("count") else None,
                "percent": float(change.group("percent")) if change.group("percent") else None,
                "quote": _quote(places.text, sentence.to_text(change.start()),
                                sentence.to_text(change.end() - 1) + 1).lstrip("，, ")}


# --- reading -----------------------------------------------------------------------------

def read_claims(report):
    """Every claim the prose of a report makes, in the order of the text."""
    template = report.meta.get("template") or "2021"
    found = []
    for section in report.sections:
        if section.text:
            found += _section_claims(section, template)
    return found


def _section_claims(section, template):
    text = section.text
    m = _TRIGGER.search(text)
    if m is None:
        return []
    ends = [e.start() for e in _END.finditer(text)]
    places, claims = Places(section, text), []
    phrases = wording.compiled(template)
    while m:
        start, end = _sentence(text, ends, m.start())
        # A sentence without a word of any phrase (as written, or once its line breaks are
        # out) is not read: most counted numbers (建议15件, 2,418件 行政许可) are not claims.
        if phrases.words.search(text, start, end) or _SPACE.search(text, start, end):
            sentence = _Sentence(text, start, end, ends)
            chosen = phrases.select(sentence.compact)
            if chosen:
                claims += _sentence_claims(sentence, section, phrases, chosen, places)
        m = _TRIGGER.search(text, end)
    return claims


def _sentence(text, ends, at):
    """(start, end) of the sentence around offset `at`: from the mark that ends the one
    before to the mark that ends it, at most _WINDOW characters either side."""
    k = bisect_right(ends, at)
    start = ends[k - 1] + 1 if k else 0
    end = ends[k] + 1 if k < len(ends) else len(text)
    return max(start, at - _WINDOW), min(end, at + _WINDOW)


class _Sentence:
    """A sentence as the phrases read it (full-width forms made half-width, no spaces),
    and the way back to the text."""

    __slots__ = ("text", "start", "end", "ends", "compact", "_raw")

    def __init__(self, text, start, end, ends):
        self.text, self.start, self.end, self.ends = text, start, end, ends
        raw = text[start:end]
        for full, half in _HALF_WIDTH:     # a few str.replace are much faster than str.translate
            raw = raw.replace(full, half)
        # str.split() cuts at what \s matches; the way back is worked out only when asked.
        self.compact = "".join(raw.split())
        self._raw = raw

    def speaks_of(self, context):
        """Whether the sentence speaks of `context`'s matter: its words stand in the whole
        sentence (its clauses on either side of ；, up to 。: 「全年新收政府信息公开申请173件；
        上年结转3件。」), or in the sentence before when this one names no other matter
        (「全年新收政府信息公开申请53件。全部申请均在法定期限内答复，3件结转下年度继续办理。」)."""
        if context.search(self.compact):
            return True
        text, ends = self.text, self.ends
        k = bisect_right(ends, self.start - 1)
        start = self.start
        while k > 0 and self.start - ends[k - 1] <= _WINDOW and text[ends[k - 1]] in ";；":
            k -= 1
            start = ends[k - 1] + 1 if k else 0
        end = self.end
        j = bisect_right(ends, end - 1)
        while j < len(ends) and ends[j] - self.end <= _WINDOW and text[ends[j - 1]] in ";；":
            end = ends[j] + 1
            j += 1
        start = max(start, self.start - _WINDOW)
        whole = _plain(text, start, end)
        if context.search(whole):
            return True
        if wording.OTHER_MATTERS.search(whole) or k == 0:
            return False
        before = ends[k - 2] + 1 if k > 1 else 0      # the sentence that ends where this one starts
        return context.search(_plain(text, max(before, start - _WINDOW), start)) is not None

    def to_text(self, i):
        """The offset in the section's text of the character at `i` of the compact sentence."""
        if len(self.compact) == len(self._raw):      # it had no spaces
            return self.start + i
        return self.start + _original(_offsets(self._raw), i)


def _sentence_claims(sentence, section, phrases, chosen, places):
    compact = sentence.compact
    numbers = {}          # where each counted number of the sentence starts
    for n in wording.NUMBERS.finditer(compact):
        at = n.start()
        if at and (compact[at - 1] in wording.NOT_BEFORE or compact[at - 1] == "," and compact[at - 2:at - 1].isdigit()):
            continue      # the tail of a longer number, an ordinal or an estimate
        numbers[at] = n
    contexts, found, taken = {}, [], []
    # Every phrase in its order; a number (or a statement of none) read by one is not read again.
    for i in chosen:
        ready = phrases.phrases[i]
        if ready.context is not None and section.number != ready.home:
            if ready.context not in contexts:
                contexts[ready.context] = sentence.speaks_of(ready.context)
            if not contexts[ready.context]:
                continue
        before, middle, after = ready.regexes()
        if ready.phrase.zero:
            for m in before.finditer(compact):
                if not _taken(m.start(), m.end(), taken):
                    taken.append(m.span())
                    found.append((m.start(), m.end(), ready, None, None))
            continue
        if before is None:
            candidates = [(at, n) for at, n in numbers.items()]
        else:
            candidates = [(m.start(), numbers[m.end()]) for m in before.finditer(compact) if m.end() in numbers]
        for start, n in candidates:
            if n.group("unit") not in ready.units:
                continue
            end, n2 = n.end(), None
            if middle is not None:
                between = middle.match(compact, end)
                n2 = numbers.get(between.end()) if between else None
                if n2 is None or n2.group("unit") not in ready.units2:
                    continue
                end = n2.end()
            if after is not None:
                rest = after.match(compact, end)
                if rest is None:
                    continue
                end = rest.end()
            spans = [n.span("n")] + ([n2.span("n")] if n2 else [])
            if taken and any(_taken(a, b, taken) for a, b in spans):
                continue
            taken += spans
            found.append((start, end, ready, n, n2))
    found.sort(key=_first)
    out, scopes = [], {}
    for start, end, ready, n, n2 in found:
        if n is None:         # a statement of none
            out += _claims_of(ready, ready.targets, 0, None, start, start, end, sentence, section, places, scopes)
            continue
        out += _claims_of(ready, ready.targets, *_value(ready, n), n.start(), start, n.end() if n2 else end,
                          sentence, section, places, scopes)
        if n2 is not None:
            out += _claims_of(ready, ready.second, *_value(ready, n2), n2.start(), start, end,
                              sentence, section, places, scopes)
    return out


def _first(item):
    return item[0]


def _taken(start, end, taken):
    for s, e in taken:
        if start < e and s < end:
            return True
    return False


def _value(ready, n):
    """(the number in its cells' unit, as written with its unit)."""
    written, unit = n.group("n"), n.group("unit")
    value = _number(written)
    if value is not None and ready.unit:
        value = value * wording.UNIT_VALUE[(unit, ready.unit)]
    return value, written + unit


def _claims_of(ready, targets, value, written, at, start, end, sentence, section, places, scopes):
    """The claims one number makes (one a target of ` & `), its words from `start` to `end`."""
    if value is None:
        return []
    phrase, made = ready.phrase, []
    for alternatives in targets:
        claim = Claim(phrase.name, ready.table, section.number, written, value, alternatives,
                      section.line, places.section_name, _at=(sentence, places, start, end, at))
        if phrase.role == "part":
            scope = scopes.get(ready.table)
            if scope is None or scope[2] or (phrase.after and phrase.after not in sentence.compact[scope[1]:start]):
                continue
            claim.scope, claim.part_columns, claim.alternatives = scope[0], alternatives, []
        made.append(claim)
    if phrase.role == "scope" and made:
        scopes[ready.table] = (made[0], end, ready.table in scopes)   # a second: its parts unclear
    return made


def _number(text):
    if text[0].isdigit():
        text = text.replace(",", "")
        return float(text) if "." in text else int(text)
    total, digit = 0, None
    for c in text:
        if c in _DIGITS:
            if digit is not None and digit != 0:
                return None      # 二三: not a number
            digit = _DIGITS[c]
        else:
            total += (1 if digit is None else digit) * _POWERS[c]
            digit = None
    return total + (digit or 0)


def _plain(text, start, end):
    """text[start:end] without its spaces and line breaks (the words a line break cut joined)."""
    return "".join(text[start:end].split())


def _offsets(raw):
    """(compact offset, raw offset) where each piece of a sentence without its spaces starts."""
    offsets, at, length = [], 0, 0
    for m in _SPACE.finditer(raw):
        if m.start() > at:
            offsets.append((length, at))
            length += m.start() - at
        at = m.end()
    if at < len(raw):
        offsets.append((length, at))
    return offsets


def _original(offsets, i):
    k = bisect_right(offsets, (i, float("inf"))) - 1
    if k < 0:
        return i
    compact_start, raw_start = offsets[k]
    return raw_start + i - compact_start


def _quote(text, start, end):
    """The words of a claim as written, its line breaks taken out."""
    return _SPACE.sub(lambda m: "" if "\n" in m.group() else m.group(), text[start:end].strip())


# --- checking ----------------------------------------------------------------------------

def stated_change(change, now, then):
    """None when 「同比增长10%」 (or 「较上年减少5件」) holds of a count that went from `then`
    to `now`; else the change there was, in words. A rate holds to the precision it is
    written with (10% is 9.5% to 10.5%)."""
    rise = change["direction"] in wording.RISE
    if change["count"] is not None:
        if (now - then) == (change["count"] if rise else -change["count"]):
            return None
        return _("a change of {change:+}").format(change=now - then)
    if then == 0:
        return _("a rate from 0 cannot be told")
    rate = (now - then) / then * 100
    stated = change["percent"] if rise else -change["percent"]
    written = f"{change['percent']}"
    half = 0.5 * 10 ** -(len(written.split(".")[1]) if "." in written else 0)
    if abs(rate - stated) <= half + 1e-9:
        return None
    return _("a change of {rate:+.1f}%").format(rate=rate)


def check_claims(report, claims=None, cells=None):
    """A warning for each claim of the prose that contradicts the cells it names."""
    cells = report.cells() if cells is None else cells
    where = report.provenance
    findings = []
    for claim in read_claims(report) if claims is None else claims:
        alternatives = claim.alternatives
        if claim.scope is not None:
            # The rows of the total it is part of: those of the sum the total was found to be
            # (「收到申请53件」 may be 新收 or 新收 + 上年结转), or its only one.
            rows_of = claim.scope.matched or (claim.scope.alternatives[0] if len(claim.scope.alternatives) == 1
                                              else None)
            if rows_of is None:
                continue
            rows = list(dict.fromkeys(k.rsplit(".", 1)[0] for k in rows_of))
            alternatives = [tuple(f"{r}.{c}" for r in rows for c in claim.part_columns)]
        sums = [_sum(keys, cells) for keys in alternatives]
        if not sums or any(s is None for s in sums):
            continue              # a cell blank or not in this format: cannot be told
        held = next((keys for keys, s in zip(alternatives, sums) if _equal(claim.value, s, keys, cells)), None)
        if held is not None:
            claim.matched = held
            continue
        findings.append(_finding(claim, alternatives, sums, cells, where))
    return findings


def _sum(keys, cells):
    total = 0
    for k in keys:
        v = cells.get(k)
        if v is None:
            return None
        total += v
    return total


def _equal(stated, actual, keys, cells):
    if isinstance(stated, int) and isinstance(actual, int):
        return stated == actual
    # An amount: equal to the precision the table writes it with.
    decimals = max((len(repr(float(cells[k])).split(".")[1].rstrip("0")) for k in keys), default=0)
    return abs(stated - actual) < 0.5 * 10 ** -decimals + 1e-9


def _finding(claim, alternatives, sums, cells, where):
    actual = _(" and ").join(_describe(keys, total, cells, where) for keys, total in zip(alternatives, sums))
    section = claim.section_name
    if claim.line and claim.column:
        at = _("section {section}, line {line}, column {column}").format(
            section=section, line=claim.line, column=claim.column)
    elif claim.line:
        at = _("section {section}, line {line}").format(section=section, line=claim.line)
    else:
        at = _("section {section}").format(section=section)
    message = _("the text says {stated} (「{quote}」, {at}), but {actual}").format(
        stated=_stated(claim), quote=claim.quote, at=at, actual=actual)
    keys = list(dict.fromkeys(k for alt in alternatives for k in alt))
    return Finding(f"claims.{claim.table}", "warning", message, keys, claim.line)


def _describe(keys, total, cells, where):
    """「X is 5 (line 40)」, or the cells of a sum with their values."""
    if len(keys) == 1:
        key = keys[0]
        return _("{cell} is {value}{at}").format(cell=nf.cell_label(key), value=_format(total), at=_at(key, where))
    rows = list(dict.fromkeys(k.rsplit(".", 1)[0] for k in keys))
    columns = list(dict.fromkeys(k.rsplit(".", 1)[1] for k in keys))
    if len(rows) == 1:       # columns of one row: 法人或其他组织 is the sum of five
        table, row = rows[0].split(".")
        named = nf.REQUESTS_HEADER["legal_persons"] if tuple(columns) == nf.LEGAL_PERSON_COLUMNS else None
        parts = " + ".join(f"{nf.column_label(table, row, c)} {_format(cells[k])}" for c, k in zip(columns, keys))
        if named:
            return _("{cell} is {value} ({parts})").format(
                cell=f"{nf.row_name(table, row)}·{named}", value=_format(total), parts=parts)
        return f"{nf.row_name(table, row)}: {parts} = {_format(total)}"
    group = _group_label(keys)
    if group:
        return _("{cell} (the sum of its {count} rows) is {value}").format(
            cell=group, count=len(keys), value=_format(total))
    parts = " + ".join(f"{nf.cell_label(k)} {_format(cells[k])}" for k in keys)
    return f"{parts} = {_format(total)}"


def _stated(claim):
    """The number the text states: 81; none; 35000元 = 3.5万元 (in the cell's unit)."""
    if claim.written is None:          # a statement of none
        return _("none")
    unit = next((u for u in ("万元", "元") if claim.written.endswith(u)), None)
    if unit is None:
        return _format(claim.value)
    cell_unit = wording.CELL_UNITS.get(claim.alternatives[0][0]) if claim.alternatives else None
    if cell_unit and cell_unit != unit:
        return f"{claim.written} = {_format(claim.value)}{cell_unit}"
    return claim.written


def _group_label(keys):
    """「（三）不予公开·总计」 for the cells of every row of a group in one column, else None."""
    if len(keys) <= 3 or {k.split(".")[0] for k in keys} != {"requests"}:
        return None
    columns = {k.rsplit(".", 1)[1] for k in keys}
    groups = {nf.row_by_key("requests", k.split(".")[1]).group for k in keys}
    if len(columns) != 1 or len(groups) != 1:
        return None
    table, row, column = keys[0].split(".")
    return f"{groups.pop()}·{nf.column_label(table, row, column)}"


def _format(value):
    if isinstance(value, float):
        return f"{value:.6f}".rstrip("0").rstrip(".")
    return str(value)


def _at(key, where):
    line = (where.get(key) or {}).get("line")
    return _(" (line {line})").format(line=line) if line else ""
