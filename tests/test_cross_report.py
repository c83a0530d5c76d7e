"""Consistency across reports (issue 12, item 6): the warnings quote the sentences of both reports.

The shape examples (tests/shapes/CrossReportRestatementShape.*, AreaPartsShape.*) are checked for the right
shape and focus node by tests/test_shapes.py and for the same results on both engines by
tests/test_shacl_sparql.py; this file checks what the warnings say.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import RDF, RDFS, Graph, Literal, URIRef

from xjkg.core.namespaces import XJKG
from xjkg.validation.validate import validate_graph

SHAPES = Path(__file__).resolve().parent / "shapes"


def _messages(example: str) -> list[str]:
    data = Graph().parse(SHAPES / "_context.ttl", format="turtle")
    data.parse(SHAPES / example, format="turtle")
    outcome = validate_graph(data)
    return [str(r.message) for r in outcome.results]


@pytest.mark.slow
@pytest.mark.parametrize("engine", ["pyshacl", "fast"])
def test_restatement_across_reports_quotes_both_sentences(engine: str) -> None:
    data = Graph().parse(SHAPES / "_context.ttl", format="turtle")
    data.parse(SHAPES / "CrossReportRestatementShape.invalid.ttl", format="turtle")
    outcome = validate_graph(data, engine=engine)
    [message] = [str(r.message) for r in outcome.results]
    assert "example-2010 states 225000000" in message
    assert "“The work-relief funds of 2009 were 225 million Yuan.”" in message
    assert "example stated 220000000" in message
    assert "“In 2009, 220 million Yuan was work-relief funds, 45.2% of the total.”" in message


@pytest.mark.slow
def test_parts_of_an_area_from_another_report_quote_both_sentences() -> None:
    [message] = _messages("AreaPartsShape.invalid.ttl")
    assert "Xinjiang Uygur Autonomous Region has 220000000" in message
    assert "“In 2009, 220 million Yuan was work-relief funds, 45.2% of the total.”" in message
    assert "1 places inside it add up to 225000000" in message
    assert "“Hotan Prefecture received 225 million Yuan of work-relief funds in 2009.”" in message


@pytest.mark.parametrize(
    "example", ["CrossReportRestatementShape.valid.ttl", "AreaPartsShape.valid.ttl"], ids=["restatement", "parts"]
)
def test_no_warning_where_the_reports_agree(example: str) -> None:
    assert _messages(example) == []


@pytest.mark.parametrize(
    ("example", "figure"),
    [
        ("CrossReportRestatementShape.invalid.ttl", "figure/example-2010/work-relief-funds"),
        ("AreaPartsShape.invalid.ttl", "figure/example-2010/hotan-work-relief-funds"),
    ],
    ids=["restatement", "parts"],
)
def test_one_funders_part_is_not_compared_with_the_whole(example: str, figure: str) -> None:
    """The same warnings once the later figure is one funder's: it is no longer the same figure, nor a part of the
    area's whole (a region's funds by funder beside what its key counties received, in a made-up test section)."""
    data = Graph().parse(SHAPES / "_context.ttl", format="turtle")
    data.parse(SHAPES / example, format="turtle")
    node = URIRef(f"https://w3id.org/xjkg/id/{figure}")
    assert (node, None, None) in data
    province = URIRef("https://w3id.org/xjkg/id/org/example-province")
    data.add((province, RDF.type, XJKG.GovernmentOffice))
    data.add((province, RDFS.label, Literal("the government of an example province", lang="en")))
    data.add((node, XJKG.funder, province))
    assert [str(r.message) for r in validate_graph(data).results] == []


SERIES = Path(__file__).resolve().parent / "data" / "series"


@pytest.mark.slow
def test_a_mapping_names_another_reports_figure(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`restates` (and a share's part or whole) may name another report's figure as report/<id>/figure/<id>: the
    made-up Gansu 2010 section says its 535 million Yuan are the 2009 work-relief funds the 2009 section states."""
    import shutil

    from rdflib import URIRef

    from xjkg.cli import main
    from xjkg.core.namespaces import XJKG

    corpus = tmp_path / "series"
    shutil.copytree(SERIES, corpus, ignore=shutil.ignore_patterns("xjkg.ttl", "*.lock"))
    assert main(["build", "--corpus", str(corpus)]) == 0
    graph = Graph().parse(corpus / "xjkg.ttl", format="turtle")
    later = URIRef("https://w3id.org/xjkg/id/report/gansu-2010/figure/investment/work-relief-2009")
    earlier = URIRef("https://w3id.org/xjkg/id/report/gansu-2009/figure/investment/work-relief")
    assert (later, XJKG.restates, earlier) in graph
    assert (later, XJKG.role, XJKG.Restatement) in graph
    capsys.readouterr()

    figures = corpus / "reports" / "gansu-2010" / "mapping" / "figures" / "02-investment.yaml"
    text = figures.read_text(encoding="utf-8")
    figures.write_text(text.replace("figure/investment/work-relief\n", "figure/investment/no-such-figure\n"))
    assert main(["build", "--corpus", str(corpus)]) == 2
    err = capsys.readouterr().err
    assert "report 'gansu-2009' has no figure 'investment/no-such-figure'" in err
