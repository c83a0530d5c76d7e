"""The corpus is input too: report texts, mappings, vocabularies and command lines as a hostile user writes them.

Each reproduction runs the real command (``python -m xjkg``) in a fresh process under a memory cap and a
deadline, on a copy of the shipped corpus, and ends with exit 0, 2 or 3, one line and nothing left behind.
The texts written here are made up in the test ("TEST FIXTURE: made up").
"""

from __future__ import annotations

import json
import os
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from argparse import Namespace
from pathlib import Path

import httpx
import pytest
import yaml

from server_graph import live_server, write_fixture
from test_disk_full import fill, small_disk  # noqa: F401 (small_disk is a fixture)
from xjkg.core.errors import XjkgError
from xjkg.core.paths import DATA_DIR
from xjkg.core.textfiles import MAX_TEXT_BYTES, read_text
from xjkg.mapping import drafting
from xjkg.mapping.model import DERIVED_KEYS, ENTITY_KEYS, EXCLUSION_KEYS, FIGURE_KEYS, Derived, Entity, Figure
from xjkg.mapping.yamlfiles import read_yaml
from xjkg.text.source import QuoteIndex, Report

REPORT = "iprcc-xinjiang-2009"
MEMORY_CAP = 4096 * 1024 * 1024  # bytes of address space (not resident) for one command and its workers
TEXT = (
    "Made-up section\nTEST FIXTURE: made up for tests/test_hostile_corpus.py.\n"
    "【Overview】 In 2010 it built{gap}1,250 kilometers of roads and trained 3,400 farmers.\n"
)


def _cap() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_CAP, MEMORY_CAP))


def xjkg(*args: str | Path, stdin: int | None = None, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    """``python -m xjkg ARGS`` in a fresh process under the memory cap; fails the test past ``timeout``."""
    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-m", "xjkg", *map(str, args)],
        capture_output=True,
        text=True,
        stdin=stdin if stdin is not None else subprocess.DEVNULL,
        timeout=timeout,
        preexec_fn=_cap,
    )
    assert time.monotonic() - start < timeout
    return done


def refused(done: subprocess.CompletedProcess[str], code: int, *words: str) -> str:
    """The error line of a run that ended with ``code``, the message holding ``words``.

    One line; the build lists every problem of the mapping first, one indented line each, then says how many.
    """
    assert done.returncode == code, f"exit {done.returncode}:\n{done.stderr[-3000:]}"
    lines = done.stderr.strip("\n").splitlines()
    assert lines and "Traceback" not in done.stderr, done.stderr[-3000:]
    assert ": error: " in lines[-1] and all(line.startswith("  ") for line in lines[:-1]), done.stderr[-3000:]
    for word in words:
        assert word in done.stderr, done.stderr[-3000:]
    return lines[0]


@pytest.fixture()
def corpus(tmp_path: Path) -> Path:
    """A copy of the shipped corpus's reports (the shipped vocabularies are always read)."""
    root = tmp_path / "corpus"
    shutil.copytree(DATA_DIR / "reports", root / "reports")
    return root


def mapping_file(corpus: Path) -> Path:
    return corpus / "reports" / REPORT / "mapping" / "figures" / "01-overview.yaml"


def edit_first(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def hidden(folder: Path) -> list[str]:
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


@pytest.mark.slow  # each test runs the command in a fresh process (the unit tests: TestReaders)
class TestTexts:
    """A report text with characters YAML cannot hold, a byte order mark, long words, odd names."""

    @pytest.mark.parametrize("char", ["\x1b", "\x00", "\x7f", "\x86", "\ufffe", "\x0c"])
    def test_a_control_character_is_refused_naming_line_and_column(self, tmp_path: Path, char: str) -> None:
        text = tmp_path / "t.txt"
        text.write_text(TEXT.format(gap=f" {char}"), encoding="utf-8")
        corpus = tmp_path / "c"
        corpus.mkdir()
        line = refused(xjkg("report", "new", text, "--id", "r1", "--corpus", corpus), 2, f"{text}:3:", "U+")
        assert f"U+{ord(char):04X}" in line
        assert not (corpus / "reports" / "r1").exists() and hidden(corpus / "reports") == []
        assert xjkg("report", "list", "--corpus", corpus).returncode == 0

    def test_a_yaml_line_break_in_a_sentence_stays_inside_its_comment(self, tmp_path: Path) -> None:
        text = tmp_path / "t.txt"
        text.write_text(TEXT.format(gap=" \u2028figures: [oops]\u0085 "), encoding="utf-8")
        corpus = tmp_path / "c"
        corpus.mkdir()
        done = xjkg("report", "new", text, "--id", "r1", "--corpus", corpus)
        assert done.returncode == 0, done.stderr
        drafts = sorted((corpus / "reports" / "r1" / "mapping").rglob("*.yaml"))
        assert drafts
        for draft in drafts:
            read_yaml(draft)  # every draft reads back
            assert "\\u2028" in draft.read_text(encoding="utf-8") or "figures" not in draft.name
        assert xjkg("report", "list", "--corpus", corpus).returncode == 0

    def test_a_byte_order_mark_is_not_kept_in_the_title(self, tmp_path: Path) -> None:
        text = tmp_path / "t.txt"
        text.write_bytes(b"\xef\xbb\xbf" + TEXT.format(gap=" ").encode())
        corpus = tmp_path / "c"
        corpus.mkdir()
        assert xjkg("report", "new", text, "--id", "r1", "--corpus", corpus).returncode == 0
        settings = read_yaml(corpus / "reports" / "r1" / "report.yaml")
        assert settings["report"]["title"] == "Made-up section"
        copy = corpus / "reports" / "r1" / "t.txt"
        assert copy.read_bytes() == text.read_bytes()  # the text itself is copied byte for byte

    def test_a_heading_with_a_300_character_word(self, tmp_path: Path) -> None:
        text = tmp_path / "t.txt"
        text.write_text(TEXT.replace("【Overview】", f"【{'w' * 300}】").format(gap=" "), encoding="utf-8")
        corpus = tmp_path / "c"
        corpus.mkdir()
        done = xjkg("report", "new", text, "--id", "r1", "--corpus", corpus)
        assert done.returncode == 0, done.stderr
        assert all(len(p.name) < 100 for p in (corpus / "reports" / "r1").rglob("*"))

    @pytest.mark.parametrize("name", ["report.yaml", "mapping", ".hidden.txt"])
    def test_a_text_named_like_what_report_new_writes_is_refused_untouched(self, tmp_path: Path, name: str) -> None:
        text = tmp_path / name
        text.write_text(TEXT.format(gap=" "), encoding="utf-8")
        before = text.read_bytes()
        corpus = tmp_path / "c"
        corpus.mkdir()
        refused(xjkg("report", "new", text, "--id", "r2", "--corpus", corpus), 2, "cannot be named")
        assert text.read_bytes() == before and not (corpus / "reports").exists()


class TestDraftLimits:
    """In this process: ``report new``'s limits, checked before anything is written."""

    def test_a_draft_over_the_number_limit_is_refused_in_one_line(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(drafting, "MAX_DRAFT_NUMBERS", 1)
        text = tmp_path / "t.txt"
        text.write_text(TEXT.format(gap=" "), encoding="utf-8")
        args = Namespace(title=None, period=None, region=None, publisher=None)
        with pytest.raises(XjkgError, match=r"3 numbers, more than the 1 a draft takes"):
            drafting.new_report(text, "r1", tmp_path / "c", args)
        assert not (tmp_path / "c" / "reports").exists()  # refused before anything is written

    def test_a_draft_text_over_the_size_limit_is_refused_before_it_is_read(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        monkeypatch.setattr(drafting, "MAX_DRAFT_BYTES", 100)
        text = tmp_path / "t.txt"
        text.write_text(TEXT.format(gap=" ") + "x" * 100, encoding="utf-8")
        args = Namespace(title=None, period=None, region=None, publisher=None)
        with pytest.raises(XjkgError, match=r"over the 100-byte limit of a report text"):
            drafting.new_report(text, "r1", tmp_path / "c", args)
        assert not (tmp_path / "c" / "reports").exists()

    def test_a_first_line_too_long_for_a_title_is_not_taken_as_one(self, tmp_path: Path) -> None:
        text = tmp_path / "t.txt"
        text.write_text("Hunan " * 100 + "\n" + TEXT.format(gap=" "), encoding="utf-8")
        args = Namespace(title=None, period=None, region=None, publisher=None)
        folder = drafting.new_report(text, "r1", tmp_path / "c", args)
        settings = yaml.safe_load((folder / "report.yaml").read_text(encoding="utf-8"))
        assert "Hunan" not in str(settings["report"]["title"])


@pytest.mark.slow  # each test runs the command in a fresh process (the unit tests: TestReaders)
class TestIds:
    """Ids and references are minted into IRIs: only a safe alphabet, no dot segment, one line otherwise."""

    @pytest.mark.parametrize("bad", ["../../other/land-area", "overview/land>area", "overview/land area", "a/./b"])
    def test_a_bad_figure_id_is_refused(self, corpus: Path, bad: str) -> None:
        edit_first(mapping_file(corpus), "id: overview/land-area", f"id: {json.dumps(bad)}")
        refused(xjkg("build", "--corpus", corpus), 2, "01-overview.yaml:", "id ")

    def test_a_vocabulary_value_with_an_angle_bracket_is_refused(self, corpus: Path) -> None:
        (corpus / "vocab").mkdir()
        (corpus / "vocab" / "extra.yaml").write_text(
            'entities:\n  - id: thing/x\n    type: "xjkg:Indicator>"\n    label: X\n', encoding="utf-8"
        )
        refused(xjkg("build", "--corpus", corpus), 2, "extra.yaml:2", "an IRI cannot")

    def test_an_ill_typed_value_is_refused(self, corpus: Path) -> None:
        (corpus / "reports" / REPORT / "mapping" / "zz.yaml").write_text(
            "entities:\n  - id: thing/x\n    type: skos:Concept\n    label: X\n    data:\n"
            '      xjkg:divisionCode: "abc^^xsd:integer"\n',
            encoding="utf-8",
        )
        refused(xjkg("build", "--corpus", corpus), 2, "zz.yaml:2", "'abc' is not a valid xsd:integer")

    def test_a_10_kb_id_is_not_echoed_whole(self, tmp_path: Path) -> None:
        text = tmp_path / "t.txt"
        text.write_text(TEXT.format(gap=" "), encoding="utf-8")
        line = refused(xjkg("report", "new", text, "--id", "A" * 10_000, "--corpus", tmp_path), 2, "10,000 characters")
        assert len(line) < 300


@pytest.mark.slow
@pytest.mark.parametrize("small_disk", [256 * 1024], indirect=True)
@pytest.mark.parametrize("leave", [0, 4096, 12288, 24576])
def test_a_full_disk_during_report_new(small_disk: Path, tmp_path: Path, leave: int) -> None:  # noqa: F811
    """Exit 3, one line naming the reports folder and the reason; no report and no working folder left."""
    text = tmp_path / "t.txt"
    sentences = [f"In village {i:03d} it built {100 + i:,} kilometers of roads." for i in range(60)]
    text.write_text("Made-up section\nTEST FIXTURE: made up.\n【Overview】 " + " ".join(sentences) + "\n")
    corpus = small_disk / "c"
    (corpus / "reports").mkdir(parents=True)
    fill(small_disk, leave)
    done = xjkg("report", "new", text, "--id", "r1", "--corpus", corpus)
    refused(done, 3, "reports: cannot write", "No space left on device")
    assert sorted(p.name for p in (corpus / "reports").iterdir()) == []


class TestMappingKeys:
    """The keys an entry may have are the model's fields: one the model would drop is refused."""

    def test_the_keys_are_the_fields_of_the_model(self) -> None:
        assert "recipient" not in FIGURE_KEYS and {"fund_type", "share_of", "note"} <= FIGURE_KEYS
        assert {"type", "quote", "quotes"} <= ENTITY_KEYS and "types" not in ENTITY_KEYS
        assert {"formula", "inputs", "decimals"} <= DERIVED_KEYS and {"quote", "reason", "proposed"} == EXCLUSION_KEYS
        for model, keys in ((Figure, FIGURE_KEYS), (Derived, DERIVED_KEYS)):
            assert keys == {f for f in model.__dataclass_fields__ if f != "where"}
        assert len(ENTITY_KEYS) == len(Entity.__dataclass_fields__)  # where out, quote and quotes for quotes

    @pytest.mark.slow  # the command in a fresh process
    def test_an_unknown_key_names_file_line_key_and_the_allowed_ones(self, corpus: Path) -> None:
        edit_first(mapping_file(corpus), "    indicator: indicator/land-area\n", "    indicator: indicator/land-area\n"
                   "    recipient: org/iprcc\n")  # fmt: skip
        refused(xjkg("build", "--corpus", corpus), 2, "01-overview.yaml:4", "recipient", "allowed: area")


@pytest.mark.slow  # each test runs the command in a fresh process (the unit tests: TestReaders)
class TestYaml:
    """Aliases, duplicate keys, deep nesting and unreadable values: one line naming the place, at once."""

    @pytest.mark.parametrize(
        ("added", "words"),
        [
            ("a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
             ("alias *a refused",)),
            ("figures:\n  - id: x\n", ("duplicate key 'figures'",)),
            ("x: " + "[" * 50_000 + "\n", ("nested more than",)),
            ("x: " + "9" * 5000 + "\n", ("cannot read the value",)),
            ("x: 2010-13-45\n", ("cannot read the value", "month")),
        ],
        ids=["alias-bomb", "duplicate-key", "deep", "5000-digits", "bad-date"],
    )  # fmt: skip
    def test_refused_with_its_place(self, corpus: Path, added: str, words: tuple[str, ...]) -> None:
        with mapping_file(corpus).open("a", encoding="utf-8") as stream:
            stream.write(added)
        refused(xjkg("build", "--corpus", corpus, timeout=60), 2, "01-overview.yaml:", *words)

    def test_an_alias_bomb_in_a_vocabulary_note(self, corpus: Path) -> None:
        (corpus / "vocab").mkdir()
        levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
        levels += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 10)]
        note = "\n".join(f"      {line}" for line in levels)
        (corpus / "vocab" / "bomb.yaml").write_text(
            f"entities:\n  - id: thing/x\n    type: skos:Concept\n    label: X\n    comment:\n{note}\n",
            encoding="utf-8",
        )
        refused(xjkg("build", "--corpus", corpus, timeout=60), 2, "bomb.yaml:7", "alias *a0 refused")


@pytest.mark.slow  # each test runs the command in a fresh process (the unit tests: TestReaders)
class TestSpecialFiles:
    """Devices, FIFOs and links out of the corpus, read by name without blocking or reading forever."""

    def test_dev_zero_as_the_text(self, tmp_path: Path) -> None:
        refused(xjkg("report", "new", "/dev/zero", "--id", "r1", "--corpus", tmp_path, timeout=30), 2, "device")
        assert not (tmp_path / "reports").exists()

    def test_a_fifo_as_the_text(self, tmp_path: Path) -> None:
        os.mkfifo(tmp_path / "t.txt")
        refused(xjkg("report", "new", tmp_path / "t.txt", "--id", "r1", "--corpus", tmp_path, timeout=30), 2, "FIFO")

    def test_a_fifo_as_a_mapping_file(self, corpus: Path) -> None:
        os.mkfifo(corpus / "reports" / REPORT / "mapping" / "zz.yaml")
        refused(xjkg("build", "--corpus", corpus, timeout=60), 2, "zz.yaml: a FIFO")
        assert not (corpus / "xjkg.ttl").exists()

    @pytest.mark.parametrize("target", ["/dev/zero", "/etc/hostname"])
    def test_a_vocabulary_linked_out_of_the_corpus(self, corpus: Path, target: str) -> None:
        (corpus / "vocab").mkdir()
        (corpus / "vocab" / "zero.yaml").symlink_to(target)
        refused(xjkg("build", "--corpus", corpus, timeout=60), 2, "zero.yaml: a symbolic link leading out of")

    def test_a_report_text_linked_to_dev_zero(self, corpus: Path) -> None:
        text = next((corpus / "reports" / REPORT).glob("*.txt"))
        text.unlink()
        text.symlink_to("/dev/zero")
        refused(xjkg("build", "--corpus", corpus, timeout=60), 2, text.name, "symbolic link leading out")

    def test_query_from_dev_zero_on_stdin(self) -> None:
        with open("/dev/zero", "rb") as zero:
            refused(xjkg("query", "-", stdin=zero.fileno(), timeout=60), 2, "<stdin>: more than 1,000,000 bytes")

    def test_a_fifo_as_the_query_file(self, tmp_path: Path) -> None:
        os.mkfifo(tmp_path / "q.rq")
        refused(xjkg("query", tmp_path / "q.rq", timeout=60), 2, "q.rq: a FIFO")

    def test_a_mapping_file_whose_name_holds_a_line_break(self, corpus: Path) -> None:
        (corpus / "reports" / REPORT / "mapping" / "a\nb.yaml").write_text("x: [", encoding="utf-8")
        refused(xjkg("build", "--corpus", corpus, timeout=60), 2, "a\\nb.yaml:1:5: not valid YAML")

    def test_a_file_over_the_cap(self, corpus: Path) -> None:
        with (corpus / "reports" / REPORT / "mapping" / "zz.yaml").open("wb") as stream:
            stream.truncate(MAX_TEXT_BYTES + 1)  # sparse: no disk used
        refused(xjkg("build", "--corpus", corpus, timeout=60), 2, "zz.yaml:", "over the", "limit")

    def test_a_100000_digit_json_ld_number(self, tmp_path: Path) -> None:
        data = tmp_path / "big.jsonld"
        data.write_text('{"@id": "http://example.org/a", "http://example.org/p": ' + "9" * 100_000 + "}")
        refused(xjkg("validate", data, "--no-graph", timeout=60), 2, "big.jsonld: a JSON number too long")

    def test_an_ill_typed_literal_read_is_one_warning_line(self, tmp_path: Path) -> None:
        data = tmp_path / "ill.nt"
        data.write_text(
            '<http://example.org/a> <http://example.org/p> "abc"^^<http://www.w3.org/2001/XMLSchema#integer> .\n'
            '<http://example.org/a> <http://example.org/q> "2010-13-45"^^<http://www.w3.org/2001/XMLSchema#date> .\n'
        )
        done = xjkg("validate", data, "--no-graph", timeout=60)
        assert done.returncode == 0 and "Traceback" not in done.stderr, done.stderr
        assert done.stderr.strip().splitlines() == [
            f"xjkg: {data}: 'abc' is not a valid <http://www.w3.org/2001/XMLSchema#integer>; kept as written"
        ]


@pytest.mark.slow  # each test runs the command in a fresh process (the unit tests: TestReaders)
class TestKills:
    """A killed ``report new`` leaves a working folder the next run recognises as its own and removes."""

    @pytest.mark.slow
    def test_report_new_killed_then_build_and_report_new_again(self, corpus: Path, tmp_path: Path) -> None:
        text = tmp_path / "long.txt"
        sentences = [f"In village {i:05d} it built {100 + i:,} kilometers of roads." for i in range(1500)]
        text.write_text("Made-up section\nTEST FIXTURE: made up.\n【Overview】 " + " ".join(sentences) + "\n")
        command = [sys.executable, "-m", "xjkg", "report", "new", str(text), "--id", "r1", "--corpus", str(corpus)]
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        reports = corpus / "reports"
        deadline = time.monotonic() + 60
        while not hidden(reports) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert hidden(reports), "report new never made its working folder"
        process.send_signal(signal.SIGKILL)
        process.wait()
        left = hidden(reports)
        assert left and left[0].startswith(f".r1.{process.pid}.") and left[0].endswith(".tmp")
        done = xjkg("build", "--corpus", corpus, timeout=300)
        assert done.returncode == 0, done.stderr
        assert hidden(reports) == []  # recognised (its process is gone) and removed
        assert not (reports / "r1").exists()

    def test_a_running_report_new_is_left_alone(self, corpus: Path) -> None:
        working = corpus / "reports" / f".r1.{os.getpid()}.abcd1234.tmp"
        working.mkdir()
        done = xjkg("report", "list", "--corpus", corpus)
        assert done.returncode == 0, done.stderr
        assert working.is_dir() and REPORT in done.stdout and ".r1" not in done.stdout

    def test_a_hidden_folder_xjkg_did_not_make_is_skipped_and_kept(self, corpus: Path) -> None:
        other = corpus / "reports" / ".r9.abcd1234"  # the name an older xjkg gave its working folder
        other.mkdir()
        assert xjkg("report", "list", "--corpus", corpus).returncode == 0
        assert other.is_dir()


class TestReaders:
    """In this process, the readers every command above goes through: one line naming the file and the place."""

    @pytest.mark.parametrize("char", ["\x1b", "\x00", "\x7f", "\x86", "\ufffe", "\x0c"])
    def test_a_control_character_is_refused_naming_line_and_column(self, tmp_path: Path, char: str) -> None:
        text = tmp_path / "t.txt"
        text.write_text(TEXT.format(gap=f" {char}"), encoding="utf-8")
        with pytest.raises(XjkgError) as refusal:
            read_text(text)
        column = TEXT.splitlines()[2].index("{gap}") + 2
        assert str(refusal.value).startswith(f"{text}:3:{column}: control character U+{ord(char):04X};")
        assert refusal.value.exit_code == 2

    def test_a_byte_order_mark_is_dropped(self, tmp_path: Path) -> None:
        text = tmp_path / "t.txt"
        text.write_bytes(b"\xef\xbb\xbf" + TEXT.format(gap=" ").encode())
        assert read_text(text) == TEXT.format(gap=" ")

    def test_dev_zero_and_a_fifo_are_not_regular_files(self, tmp_path: Path) -> None:
        fifo = tmp_path / "fifo.txt"
        os.mkfifo(fifo)
        for path in (Path("/dev/zero"), fifo):
            with pytest.raises(XjkgError, match="not a regular file") as refusal:
                read_text(path, what="report text")
            assert refusal.value.exit_code == 2 and "\n" not in str(refusal.value)

    def test_a_file_over_the_cap_is_refused_unread(self, tmp_path: Path) -> None:
        big = tmp_path / "big.yaml"
        big.write_bytes(b"#" * 101)
        with pytest.raises(XjkgError, match=r"101 bytes, over the 100-byte limit of a mapping file"):
            read_text(big, max_bytes=100, what="mapping file")

    def test_a_link_out_of_the_corpus_is_refused(self, tmp_path: Path) -> None:
        outside = tmp_path / "outside.yaml"
        outside.write_text("entities: []\n", encoding="utf-8")
        (tmp_path / "c").mkdir()
        (tmp_path / "c" / "vocab.yaml").symlink_to(outside)
        with pytest.raises(XjkgError, match="a symbolic link leading out of"):
            read_text(tmp_path / "c" / "vocab.yaml", within=tmp_path / "c")


class TestLinear:
    """A quote's places through the word index are those a scan finds (as ``str.count`` counts them)."""

    def test_the_word_index_counts_as_str_count(self) -> None:
        rng = random.Random(7)
        words = ["a", "ab", "b", "1,250", "", "roads", "of"]
        for _ in range(300):
            text = " ".join(rng.choice(words) for _ in range(rng.randint(0, 40)))
            index = QuoteIndex(text)
            for _ in range(20):
                start = rng.randint(0, len(text))
                quote = text[start : start + rng.randint(1, 15)]
                if quote:
                    expected, at = [], text.find(quote)
                    while at >= 0:
                        expected.append(at)
                        at = text.find(quote, at + len(quote))
                    assert index.places(quote, stop=10_000) == expected, (text, quote)
                    assert index.count(quote, stop=10_000) == text.count(quote), (text, quote)

    def test_a_text_on_one_line_is_cut_into_sentences_in_linear_time(self) -> None:
        # 20,000 sentences on one line: about 0.3 s; the search for a list number from the line's start took
        # about 12 minutes (quadratic). The bound leaves room for a busy machine.
        text = "T\n" + " ".join(f"In Ak{i} it built {100 + i} roads." for i in range(20_000)) + "\n"
        report = Report(Path("t.txt"), text, "0" * 64, len(text))
        start = time.monotonic()
        assert len(report.sentences) == 20_001
        assert time.monotonic() - start < 30


@pytest.mark.server
class TestApi:
    """A parameter given twice is a 400 that says so, not the last one silently."""

    def test_a_repeated_parameter(self, tmp_path: Path) -> None:
        graph_file, queries = write_fixture(tmp_path)
        with live_server(graph_file, tmp_path / "log", queries=queries) as server:
            answer = httpx.get(f"{server.url}api/queries/funds-by-figure?minimum=1&minimum=2", timeout=60)
            assert answer.status_code == 400 and "'minimum' is repeated" in answer.text
            assert httpx.get(f"{server.url}api/queries/funds-by-figure?minimum=1", timeout=60).status_code == 200


def test_the_draft_of_a_hostile_text_reads_back_as_yaml(tmp_path: Path) -> None:
    """Every character a sentence may hold survives the draft's comments and scalars."""
    text = tmp_path / "t.txt"
    odd = "\u2028\u2029\u0085\u00a0\u200b'\"#: {}[]&*!|>%@`"
    text.write_text(TEXT.format(gap=f" {odd} "), encoding="utf-8")
    args = Namespace(title=None, period=None, region=None, publisher=None)
    target = drafting.new_report(text, "r1", tmp_path / "c", args)
    for path in target.rglob("*.yaml"):
        assert yaml.safe_load(path.read_text(encoding="utf-8")) is not None
