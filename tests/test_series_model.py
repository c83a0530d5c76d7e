"""The series model on the made-up multi-region corpus (tests/data/series): roles computed by the build, programs
as instances of shared types, per-head derived figures, and no series-wide label speaking for one region."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, RDFS, SKOS

from xjkg.core.namespaces import ID, SDMX_MEASURE, XJKG

SERIES = Path(__file__).parent / "data" / "series"


@pytest.fixture(scope="module")
def graph(series_graph: Path) -> Graph:
    return Graph().parse(series_graph, format="turtle")


def test_every_reported_figure_has_the_role_its_links_give(graph: Graph) -> None:
    figures = set(graph.subjects(RDF.type, XJKG.ReportedFigure))
    assert len(figures) > 100
    counts = {"Headline": 0, "Part": 0, "Restatement": 0}
    for figure in figures:
        [role] = graph.objects(figure, XJKG.role)
        if (figure, XJKG.restates, None) in graph:
            expected = XJKG.Restatement
        elif (figure, XJKG.componentOf, None) in graph:
            expected = XJKG.Part
        else:
            expected = XJKG.Headline
        assert role == expected, figure
        counts[str(role).rsplit("#", 1)[-1]] += 1
    assert counts["Headline"] and counts["Part"]


def test_programs_are_instances_of_a_report_region_and_period(graph: Graph) -> None:
    programs = set(graph.subjects(RDF.type, XJKG.Program))
    assert programs
    for program in programs:
        [report] = graph.objects(program, PROV.wasAttributedTo)
        assert (report, RDF.type, XJKG.Report) in graph
        assert list(graph.objects(program, XJKG.implementedIn)) and list(graph.objects(program, XJKG.period))
        assert list(graph.objects(program, XJKG.programType)), program
    village = ID["program-type/entire-village-advancement"]
    assert (village, SKOS.inScheme, ID["scheme/program-types"]) in graph
    assert (village, SKOS.broader, ID["program-type/village-development"]) in graph
    regions = {(next(graph.objects(p, XJKG.implementedIn)), next(graph.objects(p, XJKG.period)))
               for p in graph.subjects(XJKG.programType, village)}  # fmt: skip
    assert regions == {
        (ID["region/gansu"], ID["period/2009"]),
        (ID["region/gansu"], ID["period/2010"]),
        (ID["region/tibet"], ID["period/2010"]),
    }


def _value(graph: Graph, node: URIRef) -> Decimal:
    value = graph.value(node, SDMX_MEASURE.obsValue)
    assert isinstance(value, Literal)
    return Decimal(str(value))


def test_funds_per_poor_person_divide_by_the_report_own_latest_count(graph: Graph) -> None:
    derived = list(graph.subjects(XJKG.indicator, ID["indicator/funds-per-poor-person"]))
    assert derived
    for node in derived:
        amount, count = graph.value(node, XJKG.numerator), graph.value(node, XJKG.denominator)
        assert isinstance(amount, URIRef) and isinstance(count, URIRef)
        assert (count, XJKG.indicator, ID["indicator/poor-population"]) in graph
        assert graph.value(amount, PROV.wasAttributedTo) == graph.value(count, PROV.wasAttributedTo)
        expected = (_value(graph, amount) / _value(graph, count)).quantize(Decimal("0.01"))
        assert _value(graph, node) == expected
        assert (node, XJKG.derivation, Literal("a / b")) in graph
        assert (amount, XJKG.role, XJKG.Restatement) not in graph
    # the 2010 section of Gansu counts poor people at the end of 2009 and (looking back) at the end of 2008:
    # its 2010 funds take the latest
    total = ID["report/gansu-2010/figure/derived/per-poor-person/investment/total"]
    count = graph.value(total, XJKG.denominator)
    assert (count, XJKG.indicator, ID["indicator/poor-population"]) in graph
    period = graph.value(count, URIRef("http://purl.org/linked-data/sdmx/2009/dimension#refPeriod"))
    assert period == ID["period/2009-12-31"]


def test_no_label_of_the_series_speaks_for_xinjiang(graph: Graph) -> None:
    """No label or title of a concept, program, scheme, data set or report of a graph without Xinjiang names it."""
    series_things = set()
    for cls in (SKOS.Concept, SKOS.ConceptScheme, XJKG.Program, XJKG.Report,
                URIRef("http://purl.org/linked-data/cube#DataSet")):  # fmt: skip
        series_things |= set(graph.subjects(RDF.type, cls))
    assert len(series_things) > 50
    for thing in series_things:
        for prop in (RDFS.label, SKOS.prefLabel, SKOS.altLabel, DCTERMS.title):
            for text in graph.objects(thing, prop):
                assert "xinjiang" not in str(text).lower() and "新疆" not in str(text), (thing, prop, text)
