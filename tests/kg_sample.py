"""A small graph shaped like the built one (a figure, its span, sentence and selectors, labels in two
languages, a blank node), for the export, metadata, docs and release tests."""

from __future__ import annotations

from rdflib import Graph

SAMPLE_TTL = """
@prefix xjkg: <https://w3id.org/xjkg/ontology#> .
@base <https://w3id.org/xjkg/id/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix qb: <http://purl.org/linked-data/cube#> .
@prefix sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#> .
@prefix sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .

<region/xinjiang> a xjkg:Region ;
    rdfs:label "Xinjiang Uygur Autonomous Region"@en , "新疆维吾尔自治区"@zh-Hans .
<county/luopu> a xjkg:County ; rdfs:label "Luopu County"@en , "洛浦县"@zh-Hans ;
    xjkg:partOf <region/xinjiang> ; xjkg:divisionCode "653224" .
<period/2009> a time:ProperInterval ; rdfs:label "2009"@en ;
    time:hasBeginning [ time:inXSDDate "2009-01-01"^^xsd:date ] .
<report/iprcc-xinjiang-2009> a xjkg:Report ; rdfs:label "The IPRCC report"@en ;
    <http://purl.org/dc/terms/title> "Poverty Alleviation and Development in Xinjiang Uygur Autonomous Region"@en ;
    <http://purl.org/dc/terms/publisher> <org/iprcc> ;
    <http://purl.org/dc/terms/rights> "版权所有©中国国际扶贫中心 未经许可不得复制"@zh-Hans .
<org/iprcc> rdfs:label "International Poverty Reduction Center in China"@en , "中国国际扶贫中心"@zh-Hans .
<sentence/7> a xjkg:Sentence ; xjkg:sentenceNumber 7 ; oa:hasSource <report/iprcc-xinjiang-2009> .
<span/100-117> a xjkg:ReportSpan ; oa:hasSource <report/iprcc-xinjiang-2009> ; xjkg:inSentence <sentence/7> ;
    oa:hasSelector <span/100-117/quote> , <span/100-117/position> .
<span/100-117/quote> a oa:TextQuoteSelector ; oa:exact "2.61 billion Yuan" ;
    oa:prefix "amounted to " ; oa:suffix ", of which" .
<span/100-117/position> a oa:TextPositionSelector ; oa:start 100 ; oa:end 117 .
<figure/investment-2009> a xjkg:FundAllocation , qb:Observation ;
    rdfs:label "anti-poverty funds, 2009"@en , "2009年扶贫资金"@zh-Hans ;
    sdmx-dimension:refArea <region/xinjiang> ; sdmx-dimension:refPeriod <period/2009> ;
    sdmx-measure:obsValue 2610000000.0 ; prov:wasDerivedFrom <span/100-117> ;
    xjkg:qualifier "nearly" .
"""


def sample_graph() -> Graph:
    return Graph().parse(data=SAMPLE_TTL, format="turtle")
