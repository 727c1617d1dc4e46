"""Generated reports, both formats, blanks anywhere: the canonical rendering reads back exactly."""
from hypothesis import HealthCheck, given, settings, strategies as st

from gxgrammar import national as nf
from gxgrammar.model import Report, Section
from gxgrammar.writers.render import render

from test_round_trip import assert_reads_back

AGENCIES = ["青石县交通运输局", "白鹭湾区自然资源局", "石榴镇人民政府", "云栖市生态环境局", "金沙溪街道办事处"]
SENTENCES = ["", "本年度无其他需要报告的事项。", "全年主动公开政府信息 412 条，其中政策文件 37 条。",
             "（一）主动公开情况\n全年通过门户网站公开信息。", "单位：件", "注：表中数据统计期限为1月1日至12月31日。"]


def _active_value(column):
    if (("active", column) in nf.DECIMAL_COLUMNS):
        return st.one_of(st.integers(0, 10**6), st.integers(0, 10**8).map(lambda n: n / 100))
    if ("active", column) in nf.SIGNED_COLUMNS:
        return st.integers(-500, 500)
    return st.integers(0, 5000)


@st.composite
def table_values(draw, template):
    """Every cell of a template, the identities of the format holding among them."""
    values = {}
    for row in nf.rows_for("active", template):
        for col in row.columns_for(template):
            values[f"active.{row.key}.{col.key}"] = draw(_active_value(col.key))
    apply = [c.key for c in nf.REQUEST_COLUMNS[:-1]]
    for r in nf.RESULT_ROWS[template]:
        for c in apply:
            values[f"requests.{r}.{c}"] = draw(st.integers(0, 300))
    for c in apply:
        total = sum(values[f"requests.{r}.{c}"] for r in nf.RESULT_ROWS[template])
        forward = draw(st.integers(0, 30))
        carried = draw(st.integers(0, total + forward))
        values[f"requests.results_total.{c}"] = total
        values[f"requests.carried_forward.{c}"] = forward
        values[f"requests.carried_over.{c}"] = carried
        values[f"requests.new.{c}"] = total + forward - carried
    for row in nf.rows_for("requests", template):
        values[f"requests.{row.key}.total"] = sum(values[f"requests.{row.key}.{c}"] for c in apply)
    for row in nf.APPEAL_ROWS:
        parts = [draw(st.integers(0, 20)) for _ in nf.APPEAL_COLUMNS[:-1]]
        for col, v in zip(nf.APPEAL_COLUMNS, parts + [sum(parts)]):
            values[f"appeals.{row.key}.{col.key}"] = v
    return values


@st.composite
def reports(draw):
    template = draw(st.sampled_from(nf.TEMPLATES))
    values = draw(table_values(template))
    keys = nf.cell_keys(template)
    # Blanks anywhere, from a few cells to nearly all of them.
    rate, rnd = draw(st.sampled_from([0.0, 0.05, 0.3, 0.7, 1.0])), draw(st.randoms(use_true_random=False))
    blank = draw(st.sets(st.sampled_from(keys))) | {k for k in keys if rnd.random() < rate}
    appeals = [k for k in keys if k.startswith("appeals.")]
    if all(k in blank for k in appeals):  # a table with no value at all has nothing to be read by
        blank.discard(draw(st.sampled_from(appeals)))
    tables = {}
    for key in keys:
        t, r, c = key.split(".")
        tables.setdefault(t, {}).setdefault(r, {})[c] = None if key in blank else values[key]
    agency, year = draw(st.sampled_from(AGENCIES)), draw(st.integers(2019, 2030))
    meta = {"title": draw(st.sampled_from([None, f"{agency}{year}年政府信息公开工作年度报告"])),
            "agency": agency, "year": year, "template": template}
    if draw(st.booleans()):
        meta["signed"] = f"{year + 1}年1月{draw(st.integers(1, 31))}日"
    sections = [Section(n, title, draw(st.sampled_from(SENTENCES))) for n, title in nf.SECTION_TITLES.items()]
    return Report({"path": "<generated>", "layout": "markdown"}, meta, sections, tables,
                  preamble=draw(st.sampled_from(SENTENCES[:3])))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(reports())
def test_a_generated_report_reads_back_from_its_canonical_rendering(report):
    assert_reads_back(report, render(report, "canonical"))
