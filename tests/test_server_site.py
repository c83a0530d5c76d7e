"""The site's title and description are computed from the graph: its regions, years and reports."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from xjkg.query.engines import EmbeddedEngine
from xjkg.server import ServerConfig, create_app

# Two made-up regions, one of them only through a prefecture's figure, over two years.
GRAPH = """
@prefix xjkg: <https://w3id.org/xjkg/ontology#> .
@prefix region: <https://w3id.org/xjkg/id/region/> .
@prefix report: <https://w3id.org/xjkg/id/report/> .
@prefix period: <https://w3id.org/xjkg/id/period/> .
@prefix figure: <https://w3id.org/xjkg/id/figure/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .

region:east a xjkg:Region ; rdfs:label "Eastmark Test Region"@en ; skos:altLabel "Eastmark"@en .
region:west a xjkg:Region ; rdfs:label "Westmark Test Region"@en ; skos:altLabel "Westmark"@en .
region:elsewhere a xjkg:Region ; rdfs:label "Nowhere Region"@en .
report:a a xjkg:Report . report:b a xjkg:Report .
period:2011 time:hasBeginning [ time:inXSDDate "2011-01-01"^^xsd:date ] ;
    time:hasEnd [ time:inXSDDate "2011-12-31"^^xsd:date ] .
period:2012 time:hasBeginning [ time:inXSDDate "2012-01-01"^^xsd:date ] ;
    time:hasEnd [ time:inXSDDate "2012-12-31"^^xsd:date ] .
figure:a sdmx-dimension:refArea region:east ; sdmx-dimension:refPeriod period:2011 .
figure:b sdmx-dimension:refArea region:west ; sdmx-dimension:refPeriod period:2012 .
"""


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> str:
    graph_file: Path = tmp_path_factory.mktemp("site") / "graph.ttl"
    graph_file.write_text(GRAPH, encoding="utf-8")
    with EmbeddedEngine(graph_file, workers=1) as engine:
        app = create_app(engine, ServerConfig(allowed_hosts=("testserver",)), queries={})
        with TestClient(app) as client:
            return client.get("/").text


def test_title_and_description_say_the_graphs_regions_and_years(home: str) -> None:
    assert "<h1>Poverty alleviation in Eastmark and Westmark, 2011–2012: a knowledge graph</h1>" in home
    assert "<title>xjkg: Poverty alleviation in Eastmark and Westmark, 2011–2012</title>" in home
    description = re.search(r'<meta name="description" content="([^"]*)"', home)
    assert description is not None
    assert description.group(1).startswith("Every figure of 2 reports on Eastmark and Westmark, 2011–2012,")
    assert "Nowhere" not in home  # a region no figure is about
    assert "Xinjiang" not in home and "2009" not in home


@pytest.mark.slow
def test_the_site_of_the_made_up_series_names_its_regions_not_xinjiang(tmp_path: Path) -> None:
    """`xjkg serve --corpus tests/data/series` (Gansu and Tibet, 2009 and 2010, made up): the home page, the API
    page and a program's page say the series' regions and years, never Xinjiang."""
    from xjkg.cli import main
    from xjkg.query.stored import stored_queries

    graph_file = tmp_path / "xjkg.ttl"
    series = Path(__file__).parent / "data" / "series"
    assert main(["--quiet", "build", "--corpus", str(series), "--output", str(graph_file)]) == 0
    with (
        EmbeddedEngine(graph_file, workers=1) as engine,
        TestClient(create_app(engine, ServerConfig(allowed_hosts=("testserver",)), queries=stored_queries())) as client,
    ):
        home = client.get("/").text
        # the regions as the catalogue names them (the shortest English alternative label: Tibet, not Xizang)
        assert re.search(r"<title>xjkg: Poverty alleviation in Gansu and Tibet, [0-9–]+</title>", home)
        pages = [home, client.get("/api").text, client.get("/id/program/gansu-2010-entire-village-advancement").text]
    for page in pages:
        assert "Gansu" in page
        assert "xinjiang" not in page.lower() and "新疆" not in page
