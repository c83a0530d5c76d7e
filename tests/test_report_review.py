"""Issue 12, items 2 and 7: indicators that compare, and our report read again sentence by sentence."""

from __future__ import annotations

import shutil
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from xjkg.build.build import build
from xjkg.core.errors import XjkgError
from xjkg.core.namespaces import ID, OA, RDF, SDMX_ATTRIBUTE, SDMX_MEASURE, XJKG, XSD
from xjkg.core.paths import DATA_DIR, ONTOLOGY_FILE
from xjkg.validation.validate import validate_graph

REPORT_ID = "iprcc-xinjiang-2009"
REPO = Path(__file__).resolve().parent.parent


def fig(name: str) -> URIRef:
    return ID[f"report/{REPORT_ID}/figure/{name}"]


@pytest.fixture(scope="module")
def built() -> Graph:
    return build().graph


def test_every_indicator_has_one_kind_of_unit(built: Graph) -> None:
    units: dict[URIRef, set[URIRef]] = {}
    for figure, indicator in built.subject_objects(XJKG.indicator):
        units.setdefault(indicator, set()).update(built.objects(figure, SDMX_ATTRIBUTE.unitMeasure))  # type: ignore[arg-type]
    assert {i: u for i, u in units.items() if len(u) != 1} == {}
    people = units[ID["indicator/people-trained"]]
    assert people == {URIRef("http://qudt.org/vocab/unit/NUM")}
    for name in ("training/labor-transfer-guidance-trained", "social/people-trained"):  # 250,000 and 174,000
        assert built.value(fig(name), XJKG.indicator) == ID["indicator/training-person-times"]
        assert built.value(fig(name), SDMX_ATTRIBUTE.unitMeasure) == XJKG.PersonTime


def test_the_build_refuses_two_units_under_one_indicator(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    shutil.copytree(DATA_DIR / "reports", root / "reports")
    social = root / "reports" / REPORT_ID / "mapping" / "figures" / "07-social.yaml"
    text = social.read_text(encoding="utf-8")
    old = '174,000 person-times for poor farmers and herdsmen"\n    indicator: indicator/training-person-times'
    assert old in text
    social.write_text(text.replace(old, old.replace("training-person-times", "people-trained")), encoding="utf-8")
    with pytest.raises(XjkgError) as caught:
        build(root)
    message = str(caught.value)
    assert f"{social}:" in message and "entry 'social/people-trained'" in message
    assert "indicator/people-trained is measured in xjkg:PersonTime here but in unit:NUM" in message


def test_restatements_only_where_the_report_restates(built: Graph) -> None:
    """111,000 / 428,000 trainees and the 2668 villages involved / basically completed: comparable, not restated."""
    for this, other in (
        ("measures/practical-training-completed", "training/practical-technology-trained"),
        ("village-advancement/villages-involved", "overview/villages-completed-advancement"),
    ):
        assert (fig(this), XJKG.restates, None) not in built
        assert (fig(this), XJKG.comparableWith, fig(other)) in built
    ontology = Graph().parse(ONTOLOGY_FILE)
    assert (XJKG.comparableWith, RDF.type, URIRef("http://www.w3.org/2002/07/owl#SymmetricProperty")) in ontology


def test_a_thousand_village_committee_directors_names_a_program(built: Graph) -> None:
    program = ID["program/village-committee-directors-training"]
    assert (ID["figure/training/village-committee-directors"], DCTERMS.isReplacedBy, program) in built
    directors = ID["beneficiary-group/village-committee-directors"]
    assert not [f for f in built.subjects(XJKG.beneficiaryGroup, directors) if (f, XJKG.indicator, None) in built]
    quoted = {str(built.value(URIRef(f"{span}/quote"), OA.exact)) for span in built.objects(program, None)}
    assert "trainings for the poverty alleviation management and a thousand village committee directors" in quoted


def test_one_million_people_is_kept_with_a_note(built: Graph) -> None:
    million = fig("measures/practical-training-implemented")
    assert built.value(million, SDMX_MEASURE.obsValue) == Literal(1000000)
    assert "round number" in str(built.value(million, URIRef("http://www.w3.org/2000/01/rdf-schema#comment")))
    assert (million, XJKG.componentOf, None) not in built and (None, XJKG.componentOf, million) not in built


def test_places(built: Graph) -> None:
    south = ID["area/three-southern-prefectures"]
    assert (south, XJKG.partOf, ID["region/xinjiang"]) in built
    cold = ID["area/high-and-cold-mountain-areas"]
    assert list(built.objects(cold, XJKG.comprises)) == []  # "such as …": examples, not the whole
    for example in ("kunlun", "tianshan", "aletai"):
        assert (ID[f"area/{example}-mountain-area"], XJKG.partOf, cold) in built


def test_the_ontology_was_created_when_git_says() -> None:
    ontology = Graph().parse(ONTOLOGY_FILE)
    created = ontology.value(URIRef("https://w3id.org/xjkg/ontology"), DCTERMS.created)
    log = subprocess.run(
        ["git", "log", "--reverse", "--format=%ad", "--date=short", "--", "ontology/xjkg.ttl"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    if log.returncode != 0 or not log.stdout.strip():
        pytest.skip("git history of ontology/xjkg.ttl is not available here")
    assert str(created) == log.stdout.split()[0]


# ---- the rounding tolerance follows the qualifier and the digits as written --------------------------------------


def _derived_pair(stated: str, qualifier: str | None, computed: str) -> Graph:
    """A reported figure stated as ``stated`` (its figure span's exact text) and a derived one computed for it."""
    g = Graph()
    reported, derived, span = ID["figure/t/stated"], ID["figure/t/derived"], ID["span/t"]
    g.add((reported, RDF.type, XJKG.ReportedFigure))
    number, *words = stated.split()
    value = Decimal(number.replace(",", "")) * (1_000_000 if "million" in words else 1)
    g.add((reported, SDMX_MEASURE.obsValue, Literal(value)))
    g.add((reported, SDMX_ATTRIBUTE.unitMeasure, URIRef("http://qudt.org/vocab/currency/CNY")))
    g.add((reported, XJKG.figureSpan, span))
    g.add((span, OA.hasSelector, URIRef(f"{span}/quote")))
    g.add((URIRef(f"{span}/quote"), OA.exact, Literal(stated)))
    if qualifier:
        g.add((reported, XJKG.qualifier, Literal(qualifier, lang="en")))
    g.add((derived, RDF.type, XJKG.DerivedFigure))
    g.add((derived, XJKG.derivedFor, reported))
    g.add((derived, SDMX_MEASURE.obsValue, Literal(computed, datatype=XSD.decimal)))
    g.add((derived, SDMX_ATTRIBUTE.unitMeasure, URIRef("http://qudt.org/vocab/currency/CNY")))
    return g


@pytest.mark.parametrize(
    ("stated", "qualifier", "computed", "warns"),
    [
        pytest.param("182,000 Yuan", "averagely", "182278.48", False, id="averagely-182000-rounded-to-thousands"),
        pytest.param("182,000 Yuan", "averagely", "182600.0", True, id="averagely-182000-off-by-600"),
        pytest.param("182,000 Yuan", None, "182278.48", True, id="unqualified-digits-count-as-stated"),
        pytest.param("182,500 Yuan", "about", "182530.0", False, id="about-182500-rounded-to-hundreds"),
        pytest.param("182,500 Yuan", "about", "182600.0", True, id="about-182500-off-by-100"),
        pytest.param("1.8 million Yuan", "nearly", "1849000.0", False, id="decimals-keep-their-tolerance"),
    ],
)
def test_derived_tolerance(stated: str, qualifier: str | None, computed: str, warns: bool) -> None:
    outcome = validate_graph(_derived_pair(stated, qualifier, computed))
    found = [
        r
        for r in outcome.results
        if r.focus_node == ID["figure/t/derived"] and str(r.source_shape).endswith("DerivedConsistencyShape")
    ]
    assert bool(found) == warns, [r.message for r in found]
