"""Every stored query: its header and its answer checked against the report text (the same rows on
Oxigraph server, Virtuoso and rdflib: test_stores.py).

Expected numbers are read from the report with :mod:`xjkg.text.extract`, never retyped.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

import stores
from xjkg.cli import main
from xjkg.core.paths import GRAPH_FILE, QUERIES_DIR
from xjkg.mapping.corpus import open_corpus
from xjkg.query.engines import EmbeddedEngine
from xjkg.query.remote import EndpointEngine
from xjkg.query.stored import PARAM_TYPES, StoredQuery, bind_params, stored_queries
from xjkg.text.extract import extract

REPORT = open_corpus().report("iprcc-xinjiang-2009").text()
QUERY_FILES = sorted(QUERIES_DIR.glob("*.rq"))

pytestmark = pytest.mark.skipif(not GRAPH_FILE.is_file(), reason="data/xjkg.ttl is not built (run `xjkg build`)")


def reported(text: str) -> Decimal:
    """The value of the quantity written exactly ``text`` in the report (it must be there, once)."""
    values = {m.value for m in extract(REPORT) if m.text == text}
    assert len(values) == 1, f"{text!r} is not one quantity in the report: {values}"
    return values.pop()


def two_places(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@pytest.fixture(scope="module")
def engine() -> Iterator[EmbeddedEngine]:
    with EmbeddedEngine(GRAPH_FILE) as running:
        yield running


@pytest.fixture(scope="module")
def queries() -> dict[str, StoredQuery]:
    return stored_queries()


def run(engine: EmbeddedEngine, queries: dict[str, StoredQuery], name: str, **params: str) -> list[dict]:
    query = queries[name]
    return engine.query(query.text, bind_params(query, params), where=name).to_python()


def by(rows: list[dict], key: str) -> dict[object, dict]:
    return {row[key]: row for row in rows}


# -- headers -------------------------------------------------------------------------------------------


def test_there_are_stored_queries() -> None:
    assert len(QUERY_FILES) >= 14


@pytest.mark.parametrize("path", QUERY_FILES, ids=[p.stem for p in QUERY_FILES])
def test_header(path: Path, queries: dict[str, StoredQuery]) -> None:
    query = queries[path.stem]
    assert query.summary and query.description and query.tags
    assert all(p.type in PARAM_TYPES and p.description for p in query.params)
    assert path.read_text(encoding="utf-8").startswith("#+ summary:")


def test_every_query_is_tested() -> None:
    tested = {name.removeprefix("test_").replace("_", "-") for name in globals() if name.startswith("test_")}
    assert {p.stem for p in QUERY_FILES} <= tested


# -- answers, against the report -----------------------------------------------------------------------


def test_investment_by_fund_type(engine, queries) -> None:
    rows = by(run(engine, queries, "investment-by-fund-type"), "fund_type")
    total = reported("2.61 billion Yuan")
    expected = {
        "anti-poverty funds": ("2.61 billion Yuan", "headline"),
        "financial anti-poverty funds": ("650 million Yuan", "part"),
        "work-relief funds": ("220 million Yuan", "part"),
        "credit loan funds": ("1.74 billion Yuan", "part"),
        "county finance": ("148 million Yuan", "headline"),
        "funds of social forces": ("542 million Yuan", "headline"),
        "foreign investment in poverty alleviation": ("68.23 million Yuan", "headline"),
    }
    assert set(rows) == set(expected)
    poor, population = reported("2.27 million"), reported("21.3081 million")
    for fund_type, (text, role) in expected.items():
        row = rows[fund_type]
        assert (row["amount"], row["role"]) == (reported(text), role)
        assert row["report"].endswith("/report/iprcc-xinjiang-2009") and row["period_label"] == "2009"
        # per head: derived figures, the amount over the report's own counts of the region
        assert (row["poor_people"], row["population"], row["per_head_formula"]) == (poor, population, "a / b")
        assert row["per_poor_person"] == two_places(reported(text) / poor)
        assert row["per_capita"] == two_places(reported(text) / population)
        if role == "part":  # the share of the total it is a stated part of; a headline has none
            assert row["share_of_total"] == two_places(reported(text) / total * 100)
            assert row["part_of"].startswith("2.61 billion Yuan")
        else:
            assert row["share_of_total"] is None and row["part_of"] is None
    assert [f for f, row in rows.items() if row["loan"] == "credit loan"] == ["credit loan funds"]
    assert (
        "International Fund for Agricultural Development"
        in rows["foreign investment in poverty alleviation"]["funders"]
    )
    assert run(engine, queries, "investment-by-fund-type", period="id:period/2010") == []
    assert len(run(engine, queries, "investment-by-fund-type", area="id:region/xinjiang")) == len(rows)


def test_programs(engine, queries) -> None:
    rows = by(run(engine, queries, "programs"), "label")
    relocation = rows["Pilot projects for relocation-based poverty alleviation in high and cold mountain areas"]
    assert relocation["funds"] == reported("288 million Yuan")
    assert relocation["kind"] == "pilot project" and relocation["period"] == "2009"
    assert {"Kunlun Mountain area", "Tianshan Mountain area", "Aletai Mountain area"} <= set(
        relocation["where"].split("; ")
    )
    assert f"{reported('1,580')} relocated households" in relocation["beneficiaries"]
    assert f"{reported('7,742')} relocated people" in relocation["beneficiaries"]
    border = rows["Pilot projects for poverty alleviation in border areas"]
    assert border["funds"] == reported("280 million Yuan") and "Aheqi County" in border["where"]
    assert f"{reported('153')} projects implemented" in border["outputs"]
    assert rows["Pilot projects for mutual funds"]["funds"] == reported("20.50 million Yuan")
    # 22 million in all: the 17 million it includes is not counted again
    assert rows["Poverty alleviation training"]["funds"] == reported("22 million Yuan")
    assert len([r for r in rows.values() if r["kind"] == "pilot project"]) == 5
    one = run(engine, queries, "programs", program="id:program/pilot-border-areas")
    assert [r["label"] for r in one] == ["Pilot projects for poverty alleviation in border areas"]


def test_money_per_beneficiary(engine, queries) -> None:
    rows = run(engine, queries, "money-per-beneficiary")
    assert rows and all(row["status"] == "derived by xjkg, not stated in the report" for row in rows)
    for row in rows:
        assert row["value"] == two_places(row["amount"] / row["count"])
    per_household = next(r for r in rows if r["derived"].endswith("relocation-funds-per-household"))
    assert per_household["amount"] == reported("288 million Yuan") and per_household["count"] == reported("1,580")
    assert per_household["reported_for_comparison"] == reported("182,000 Yuan")
    per_person = next(r for r in rows if r["derived"].endswith("relocation-funds-per-person"))
    assert per_person["value"] == two_places(reported("288 million Yuan") / reported("7,742"))


def test_administrative_units(engine, queries) -> None:
    rows = by(run(engine, queries, "administrative-units"), "label")
    for county in ("Luopu", "Moyu", "Jimunai", "Aheqi"):
        assert f"{county} County" in REPORT
        row = rows[f"{county} County"]
        assert row["level"] == "county" and len(row["division_code"]) == 6 and row["programs"]
    assert (rows["Luopu County"]["parent"], rows["Luopu County"]["division_code"]) == (
        "Hotan Prefecture",
        "653224",
    )
    assert rows["Xinjiang Uygur Autonomous Region"]["level"] == "region"
    assert "Pilot projects for the effective linkage" in rows["Moyu County"]["programs"]


def test_training(engine, queries) -> None:
    rows = run(engine, queries, "training")
    numbers = {(row["trained"], row["number"], row["unit"]) for row in rows}
    assert ("poverty alleviation cadres", reported("1545"), "people") in numbers
    assert ("farmers and herdsmen", reported("111,000"), "people") in numbers
    assert ("farmers and herdsmen", reported("45,000"), "people") in numbers
    assert ("farmers and herdsmen", reported("250,000 person-times"), "person-times") in numbers
    assert ("cadres and masses from poor areas", reported("410,000"), "people") in numbers
    parts = [row for row in rows if row["part_of_total"] == reported("410,000")]
    assert len(parts) == 4 and {row["role"] for row in parts} == {"part"}
    assert {(row["area_label"], row["period_label"]) for row in rows} == {("Xinjiang Uygur Autonomous Region", "2009")}
    assert run(engine, queries, "training", report="id:report/other") == []


def test_training_funds(engine, queries) -> None:
    rows = {row["amount"]: row for row in run(engine, queries, "training-funds")}
    assert set(rows) == {reported(t) for t in ("22 million Yuan", "17 million Yuan", "5 million Yuan",
                                               "2 million Yuan")}  # fmt: skip
    assert rows[reported("17 million Yuan")]["part_of"] == reported("22 million Yuan")
    assert rows[reported("2 million Yuan")]["part_of"] == reported("5 million Yuan")
    assert "Rain Plan" in rows[reported("5 million Yuan")]["training"]


def test_social_poverty_alleviation(engine, queries) -> None:
    rows = run(engine, queries, "social-poverty-alleviation")
    numbers = {row["number"] for row in rows}
    delivered = "6,520|419 million Yuan|261|95|9,292|9162|53|241|212|120|4,770|6,210|174,000 person-times|53,000"
    for text in [*delivered.split("|"), "6,432", "five"]:
        assert reported(text) in numbers, text
    funds = [row for row in rows if row["figure_type"] == "funds"]
    assert [(row["number"], row["unit"]) for row in funds] == [(reported("419 million Yuan"), "Yuan")]


def test_entire_village_advancement(engine, queries) -> None:
    rows = run(engine, queries, "entire-village-advancement", area="id:region/xinjiang", period="id:period/2009")
    values = {(row["indicator_label"], row["value"], row["role"]) for row in rows}
    year = "villages completing entire village advancement in the year"
    assert (year, reported("345"), "headline") in values  # stated twice, counted once
    assert (year, reported("60"), "part") in values
    assert len([row for row in rows if row["indicator_label"] == year]) == 2
    involved = "villages involved in entire village advancement, to date"
    assert (involved, reported("2668"), "headline") in values
    [share] = [row for row in rows if row["share_computed"] is not None]
    assert share["value"] == reported("70%")
    assert share["share_computed"] == two_places(reported("2668") / reported("3606") * 100)
    assert {row["report"].rsplit("/", 1)[-1] for row in rows} == {"iprcc-xinjiang-2009"}


def test_program_type(engine, queries) -> None:
    [row] = run(engine, queries, "program-type")  # default: entire village advancement
    assert (row["type_label"], row["area_label"], row["period_label"]) == (
        "entire village advancement",
        "Xinjiang Uygur Autonomous Region",
        "2009",
    )
    assert row["program_label"] == "Entire village advancement" and row["figures"] >= 6
    # a broader type takes its narrower ones in
    broader = run(engine, queries, "program-type", program_type="id:program-type/village-development")
    assert [r["program"] for r in broader] == [row["program"]]
    training = run(engine, queries, "program-type", program_type="id:program-type/training")
    assert "Labor transfer training" in {r["program_label"] for r in training}


def test_two_systems_pilot(engine, queries) -> None:
    rows = run(engine, queries, "two-systems-pilot")
    numbers = {(row["group"], row["number"]) for row in rows}
    assert ("agricultural population", reported("449,000")) in numbers
    assert ("rural objects of poverty alleviation", reported("203,600")) in numbers
    assert ("low-income farmers", reported("138,500")) in numbers
    assert ("low-income farmers", reported("68%")) in numbers
    assert (
        "objects of both poverty alleviation and the minimum living security system",
        reported("65,100"),
    ) in numbers
    assert (
        "objects of both poverty alleviation and the minimum living security system",
        reported("32%"),
    ) in numbers
    assert (None, reported("45.2%")) in numbers


def test_organisations(engine, queries) -> None:
    rows = run(engine, queries, "organisations")
    roles = {(row["label"], row["role"]) for row in rows}
    assert ("International Fund for Agricultural Development", "funder") in roles
    assert ("social forces", "funder") in roles
    assert ("Disabled Persons' Federation", "partner") in roles
    ifad = next(r for r in rows if r["label"] == "International Fund for Agricultural Development")
    assert ifad["kind"] == "international funder" and "68.23 million Yuan" in ifad["for_label"]


def test_beneficiary_groups(engine, queries) -> None:
    rows = run(engine, queries, "beneficiary-groups")
    assert len({row["group"] for row in rows}) >= 10
    villages = run(engine, queries, "beneficiary-groups", group="id:beneficiary-group/poor-villages")
    assert {row["group_label"] for row in villages} == {"poor (impoverished) villages"}
    assert {reported("3606"), reported("2668"), reported("345"), reported("183")} <= {r["number"] for r in villages}
    relocated = run(engine, queries, "beneficiary-groups", group="id:beneficiary-group/relocated-people")
    assert [row["number"] for row in relocated] == [reported("7,742")]


def test_explain_number(engine, queries) -> None:
    rows = run(engine, queries, "explain-number", value=str(reported("2.61 billion Yuan")))
    assert rows and all(row["number"] == reported("2.61 billion Yuan") for row in rows)
    row = rows[0]
    assert REPORT[row["start"] : row["end"]] == row["quote"] and "2.61 billion Yuan" in row["quote"]
    assert row["quote"] in row["sentence"] and row["section"] == "Investment of anti-poverty funds"
    # every span in the graph quotes the report exactly at its offsets
    for every in run(engine, queries, "explain-number"):
        assert REPORT[every["start"] : every["end"]] == every["quote"], every["resource"]
    derived = run(
        engine,
        queries,
        "explain-number",
        resource="id:report/iprcc-xinjiang-2009/figure/derived/relocation-funds-per-household",
    )
    quotes = " ".join(r["quote"] for r in derived)
    assert "288 million Yuan" in quotes and "1,580 households" in quotes


def test_describe_resource(engine, queries) -> None:
    rows = run(engine, queries, "describe-resource", resource="id:county/luopu")
    out = {(row["property"].rsplit("#", 1)[-1], str(row["value"])) for row in rows if row["direction"] == "out"}
    assert ("divisionCode", "653224") in out and (
        "partOf",
        "https://w3id.org/xjkg/id/prefecture/hotan",
    ) in out
    assert any(row["direction"] == "in" for row in rows)
    assert run(engine, queries, "describe-resource")  # the default resource


def test_consistency(engine, queries) -> None:
    rows = {row["figure"].rsplit("/id/", 1)[-1]: row for row in run(engine, queries, "consistency")}
    total = rows["report/iprcc-xinjiang-2009/figure/investment/three-types-total"]
    parts = reported("650 million Yuan") + reported("220 million Yuan") + reported("1.74 billion Yuan")
    assert (total["stated"], total["computed"], total["difference"]) == (
        reported("2.61 billion Yuan"),
        parts,
        0,
    )
    assert total["check"] == "total vs sum of parts" and total["in_other_units"] is None
    share = rows["report/iprcc-xinjiang-2009/figure/village-advancement/share-involved"]
    assert share["stated"] == reported("70%")
    assert share["difference"] == reported("70%") - two_places(reported("2668") / reported("3606") * 100)
    for row in rows.values():  # an exhaustive total must add up
        if row["exhaustive"] is True:
            assert row["difference"] == 0, row["figure"]
    # 410,000 trained "including" parts in people and 250,000 person-times: mixed units, not a gap
    trained = rows["report/iprcc-xinjiang-2009/figure/training/people-trained"]
    assert trained["check"].startswith("total vs sum of parts (units mixed")
    assert trained["computed"] == reported("1545") + reported("111,000") + reported("45,000")
    assert trained["in_other_units"] == reported("250,000 person-times") and trained["difference"] is None


def test_dataset_summary(engine, queries) -> None:
    rows = run(engine, queries, "dataset-summary")
    classes = {row["item"].rsplit("#", 1)[-1]: row["count"] for row in rows if row["kind"] == "class"}
    assert classes["Figure"] == classes["ReportedFigure"] + classes["DerivedFigure"] > 80
    assert classes["Report"] == 1
    programs = [row for row in rows if row["kind"] == "program"]
    social = next(r for r in programs if r["label"] == "Social poverty alleviation (reported)")
    assert social["count"] >= 15


def test_reports(engine, queries) -> None:
    [row] = run(engine, queries, "reports")
    assert row["report"].endswith("/report/iprcc-xinjiang-2009")
    assert (row["covers_from"], row["covers_to"]) == ("2008-12-31", "2009-12-31")  # "As of the end of 2008", 2009
    assert row["figures"] > 80 and row["derived"] > 0
    assert 0 < row["sentences_with_figures"] < row["sentences"]
    assert row["sentence_coverage_percent"] == two_places(
        Decimal(row["sentences_with_figures"]) / row["sentences"] * 100
    )


def test_indicator_over_time(engine, queries) -> None:
    rows = run(engine, queries, "indicator-over-time", area="id:region/xinjiang")
    by_fund = {row["fund_type"]: row for row in rows}
    assert by_fund["work-relief funds"]["value"] == reported("220 million Yuan")
    assert by_fund["work-relief funds"]["sentence"].startswith("In 2009, the three types of anti-poverty funds")
    assert {row["period_label"] for row in rows} == {"2009"}
    assert {row["area_label"] for row in rows} == {"Xinjiang Uygur Autonomous Region"}


def test_reports_side_by_side(engine, queries) -> None:
    """With one report in the graph, its figures stand alone (the cross-report answers: tests/test_drafting.py)."""
    rows = run(engine, queries, "reports-side-by-side", indicator="id:indicator/anti-poverty-investment")
    work_relief = next(row for row in rows if row["fund_type"] == "work-relief funds")
    assert work_relief["left_value"] == reported("220 million Yuan")
    assert all(row["right_report"] is None and row["right_value"] is None for row in rows)


# -- across the series: the project's report and the made-up 2010 section (tests/data/corpus/xinjiang-2010) --


@pytest.fixture(scope="module")
def two_reports(tmp_path_factory) -> Iterator[EmbeddedEngine]:
    """The project's corpus with the made-up 2010 section added and reviewed (as tests/test_drafting.py), built."""
    import shutil

    from test_drafting import FIXTURE, review
    from xjkg.core.paths import DATA_DIR

    corpus = tmp_path_factory.mktemp("two-reports") / "corpus"
    shutil.copytree(DATA_DIR / "reports", corpus / "reports")
    assert main(["report", "new", str(FIXTURE), "--id", "xinjiang-2010", "--corpus", str(corpus)]) == 0
    review(corpus / "reports" / "xinjiang-2010")
    assert main(["build", "--corpus", str(corpus)]) == 0
    with EmbeddedEngine(corpus / "xjkg.ttl") as running:
        yield running


def quantity_in(source: Path, text: str) -> Decimal:
    """The value of the quantity written exactly ``text`` in the made-up text ``source`` (read, not retyped)."""
    values = {m.value for m in extract(source.read_text(encoding="utf-8")) if m.text == text}
    assert len(values) == 1, f"{text!r} is not one quantity in {source.name}: {values}"
    return values.pop()


def fixture_value(text: str) -> Decimal:
    """The value of the quantity written exactly ``text`` in the made-up 2010 section."""
    from test_drafting import FIXTURE

    return quantity_in(FIXTURE, text)


def test_change_over_time(two_reports, queries) -> None:
    rows = run(
        two_reports,
        queries,
        "change-over-time",
        indicator="id:indicator/anti-poverty-investment",
        area="id:region/xinjiang",
        from_period="id:period/2009",
        to_period="id:period/2010",
    )
    total = next(row for row in rows if row["fund_type"] == "anti-poverty funds")
    before, after = reported("2.61 billion Yuan"), fixture_value("3.1 billion Yuan")
    assert (total["from_value"], total["to_value"], total["change"]) == (before, after, after - before)
    assert total["change_percent"] == two_places((after - before) / before * 100)
    assert (total["from_role"], total["to_role"]) == ("headline", "headline")
    assert total["from_sentence"].startswith("In 2009, the three types") and "3.1 billion Yuan" in total["to_sentence"]
    assert total["earlier_report"].endswith("/iprcc-xinjiang-2009") and total["later_report"].endswith("/xinjiang-2010")
    # parts pair with parts of the same fund type and level (the 2010 section's look back at 2009 stands alone)
    [relief] = [row for row in rows if row["fund_type"] == "work-relief funds"]
    assert (relief["from_value"], relief["to_value"]) == (
        reported("220 million Yuan"),
        fixture_value("330 million Yuan"),
    )
    # one report against the other: "what changed"
    changed = run(
        two_reports,
        queries,
        "change-over-time",
        from_report="id:report/iprcc-xinjiang-2009",
        to_report="id:report/xinjiang-2010",
    )
    assert total["to_figure"] in {row["to_figure"] for row in changed}
    assert all(row["earlier_report"].endswith("/iprcc-xinjiang-2009") for row in changed)
    assert run(two_reports, queries, "change-over-time", from_period="id:period/2010", to_period="id:period/2009") == []


# -- the made-up series (tests/data/series): two provinces, two years each -----------------------------------

SERIES = Path(__file__).parent / "data" / "series"


@pytest.fixture(scope="module")
def series(series_graph: Path) -> Iterator[EmbeddedEngine]:
    with EmbeddedEngine(series_graph) as running:
        yield running


def stated(report: str, text: str) -> Decimal:
    """The value of the quantity written exactly ``text`` in one section of the made-up series."""
    [source] = (SERIES / "reports" / report).glob("*.txt")
    return quantity_in(source, text)


def test_series_change_of_an_indicator_in_a_region_from_one_year_to_the_next(series, queries) -> None:
    rows = run(
        series,
        queries,
        "change-over-time",
        indicator="id:indicator/anti-poverty-investment",
        area="id:region/gansu",
        from_period="id:period/2009",
        to_period="id:period/2010",
    )
    [total] = [row for row in rows if row["fund_type"] == "anti-poverty funds"]
    before, after = stated("gansu-2009", "3.02 billion Yuan"), stated("gansu-2010", "3.41 billion Yuan")
    assert (total["from_value"], total["to_value"], total["change"]) == (before, after, after - before)
    assert total["change_percent"] == two_places((after - before) / before * 100)
    assert total["earlier_report"].endswith("/gansu-2009") and total["later_report"].endswith("/gansu-2010")
    # each part pairs with the part of the same fund type at the same level of the breakdown, once
    financial = sorted(
        (r["from_value"], r["to_value"]) for r in rows if r["fund_type"] == "financial anti-poverty funds"
    )
    assert financial == [
        (stated("gansu-2009", "1.08 billion Yuan"), stated("gansu-2010", "1.25 billion Yuan")),
        (stated("gansu-2009", "1.46 billion Yuan"), stated("gansu-2010", "1.71 billion Yuan")),
    ]
    assert len({(r["from_figure"], r["to_figure"]) for r in rows}) == len(rows)
    assert {r["area_label"] for r in rows} == {"Gansu Province"}


def test_series_funds_of_two_regions_by_fund_type_and_funder_per_poor_person(series, queries) -> None:
    rows = run(series, queries, "investment-by-fund-type", period="id:period/2009")
    totals = {
        r["report"].rsplit("/", 1)[-1]: r
        for r in rows
        if r["fund_type"] == "anti-poverty funds" and r["role"] == "headline"
    }
    assert set(totals) == {"gansu-2009", "tibet-2009"}
    for report, amount, poor in (("gansu-2009", "3.02 billion Yuan", "4.31 million"),
                                 ("tibet-2009", "1.16 billion Yuan", "1.12 million")):  # fmt: skip
        row = totals[report]
        assert (row["amount"], row["poor_people"]) == (stated(report, amount), stated(report, poor))
        assert row["per_poor_person"] == two_places(stated(report, amount) / stated(report, poor))
    # like for like: Gansu's total holds credit loans, Tibet's none
    loans = {r["report"].rsplit("/", 1)[-1] for r in rows if r["loan"] == "credit loan"}
    assert loans == {"gansu-2009"}
    funders = {r["funders"] for r in rows if r["report"].endswith("/tibet-2009") and r["funders"]}
    assert any("central government" in f for f in funders)
    assert {r["area_label"] for r in rows} == {"Gansu Province", "Tibet Autonomous Region"}


def test_series_where_a_program_type_ran_in_which_years(series, queries) -> None:
    rows = run(series, queries, "program-type", program_type="id:program-type/entire-village-advancement")
    assert sorted((r["area_label"], r["period_label"]) for r in rows) == [
        ("Gansu Province", "2009"),
        ("Gansu Province", "2010"),
        ("Tibet Autonomous Region", "2010"),
    ]
    assert all(r["report"].rsplit("/", 1)[-1].split("-")[-1] == r["period_label"] for r in rows)
    relocation = run(series, queries, "program-type", program_type="id:program-type/relocation")
    assert ("Tibet Autonomous Region", "2010") not in {(r["area_label"], r["period_label"]) for r in relocation}


@pytest.mark.slow
def test_a_broader_program_type_finds_its_narrower_ones(tmp_path: Path, queries) -> None:
    """On the made-up held-out sections: asking for village development finds the entire village advancement
    programs (a narrower type) beside the programs of village development itself; asking for entire village
    advancement, or running `entire-village-advancement`, finds those programs and no broader one."""
    graph = tmp_path / "xjkg.ttl"
    assert main(["--quiet", "build", "--corpus", str(SERIES.parent / "series-holdout"), "--output", str(graph)]) == 0
    with EmbeddedEngine(graph) as holdout:
        narrower = run(holdout, queries, "program-type", program_type="id:program-type/entire-village-advancement")
        assert sorted((r["area_label"], r["period_label"], r["type_label"]) for r in narrower) == [
            ("Ningxia Hui Autonomous Region", "2009", "entire village advancement"),
            ("Yunnan Province", "2010", "entire village advancement"),
        ]
        broader = run(holdout, queries, "program-type", program_type="id:program-type/village-development")
        assert {r["program"] for r in narrower} <= {r["program"] for r in broader}
        advancement = run(holdout, queries, "entire-village-advancement")
        assert advancement and {r["program_label"] for r in advancement} == {r["program_label"] for r in narrower}
        assert {r["report"].rsplit("/", 1)[-1] for r in advancement} == {"ningxia-2009", "yunnan-2010"}


# -- parameters stay data on a real Oxigraph server (every query on every store: test_stores.py) --------


@pytest.fixture(scope="module")
def oxigraph_server() -> Iterator[str]:
    """An Oxigraph server on a free loopback port (tests/stores.py), filled with ``xjkg load``."""
    try:
        store = stores.start_oxigraph()
    except stores.StoreUnavailableError as exc:
        pytest.skip(str(exc))
    try:
        assert main(stores.load_command(store)) == 0
        yield store.query_url.removesuffix("/query")
    finally:
        store.stop()


INJECTIONS = ['x" } UNION { ?s ?p ?o } #', "x\\u0022 } UNION { ?s ?p ?o } #", "a'\n} ; DROP ALL #", '\\" ) }']


@pytest.mark.server
@pytest.mark.parametrize("payload", INJECTIONS, ids=["quote-brace", "codepoint-escape", "newline-drop", "backslash"])
def test_injection_stays_data_on_the_server(payload: str, oxigraph_server: str) -> None:
    text = (
        "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
        "SELECT ?who (COUNT(?s) AS ?matches) WHERE { OPTIONAL { ?s rdfs:label ?who } } GROUP BY ?who"
    )
    from rdflib import Literal

    result = EndpointEngine(f"{oxigraph_server}/query", timeout=20).query(text, {"who": Literal(payload)})
    assert result.to_python() == [{"who": payload, "matches": 0}]
