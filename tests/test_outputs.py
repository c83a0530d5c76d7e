"""No command replaces or deletes what it did not make (issue 11, items 5 and 6).

A release target that exists must be an empty folder or a previous xjkg release; a file, a link, a
device, a pipe, ``/`` or a folder of other things is refused with exit 2 and left byte for byte as it
was, with nothing written beside it. Every ``--output``/``-o`` writes into an existing folder or
creates the named file: no folder is made silently, devices and pipes are written in place with no
lock file beside them. ``--base-url`` and ``--endpoint-url`` must be absolute http(s) IRIs.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import threading
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef

from kg_sample import sample_graph
from xjkg.cli import main
from xjkg.core.errors import XjkgError
from xjkg.publish.release import release

needs_root = pytest.mark.skipif(os.geteuid() != 0, reason="mknod needs root")


def state(path: Path) -> Any:
    """Everything about ``path`` a command could change: kind, mode, owner, bytes, link, device, children."""
    if not os.path.lexists(path):
        return None
    info = os.lstat(path)
    head = (stat.S_IFMT(info.st_mode), stat.S_IMODE(info.st_mode), info.st_uid, info.st_ino)
    if stat.S_ISLNK(info.st_mode):
        return (*head, os.readlink(path))
    if stat.S_ISREG(info.st_mode):
        return (*head, path.read_bytes())
    if stat.S_ISDIR(info.st_mode):
        return (*head, {child.name: state(child) for child in sorted(path.iterdir())})
    return (*head, info.st_rdev)


def one_line_error(err: str, command: str) -> str:
    line = err.strip()
    assert "\n" not in line and "Traceback" not in line, err
    assert line.startswith(f"xjkg {command}: error: "), line
    return line


@pytest.fixture(scope="module")
def a_release(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("made") / "release"
    release(folder, graph=sample_graph(), validate=False, release_date=date(2024, 5, 1))
    return folder


@pytest.fixture(scope="module")
def sample_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.ttl"
    sample_graph().serialize(path, format="turtle")
    return path


def _make(kind: str, where: Path, a_release: Path) -> Path:
    """A target of ``kind`` under ``where`` (its own folder, so that its siblings can be compared too)."""
    target = where / "target"
    if kind == "file":
        target.write_bytes(b"my notes, not a release\n")
        target.chmod(0o600)
    elif kind == "link-to-a-folder":
        (where / "elsewhere").mkdir()
        (where / "elsewhere" / "notes.txt").write_text("mine")
        target.symlink_to(where / "elsewhere")
    elif kind == "link-to-a-release":
        shutil.copytree(a_release, where / "real-release")
        target.symlink_to(where / "real-release")
    elif kind == "dangling-link":
        target.symlink_to(where / "nothing")
    elif kind == "device":
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a null device, under the temp folder
    elif kind == "fifo":
        os.mkfifo(target)
    elif kind == "foreign-folder":
        (target / "sub").mkdir(parents=True)
        (target / "notes.txt").write_text("mine")
        (target / "sub" / "data.csv").write_text("a,b\n")
    elif kind == "release-plus-a-file":
        shutil.copytree(a_release, target)
        (target / "my-notes.txt").write_text("mine")
    elif kind == "release-plus-a-folder":
        shutil.copytree(a_release, target)
        (target / "drafts").mkdir()
    elif kind == "release-with-an-edited-file":
        shutil.copytree(a_release, target)
        (target / "CHANGELOG.md").write_text("# my own changelog\n")
    elif kind == "release-with-a-link":
        shutil.copytree(a_release, target)
        (target / "docs" / "index.html").unlink()
        (target / "docs" / "index.html").symlink_to(where / "mine.html")
        (where / "mine.html").write_text("<p>mine</p>")
    elif kind == "checksums-only":
        target.mkdir()
        (target / "SHA256SUMS").write_text(f"{'0' * 64}  catalog.ttl\n")
        (target / "notes.txt").write_text("mine")
    else:  # pragma: no cover
        raise AssertionError(kind)
    return target


REFUSED = [
    "file",
    "link-to-a-folder",
    "link-to-a-release",
    "dangling-link",
    pytest.param("device", marks=needs_root),
    "fifo",
    "foreign-folder",
    "release-plus-a-file",
    "release-plus-a-folder",
    "release-with-an-edited-file",
    "release-with-a-link",
    "checksums-only",
]


@pytest.mark.parametrize("kind", REFUSED)
def test_release_refuses_what_it_did_not_make(
    tmp_path: Path, a_release: Path, sample_file: Path, capsys: pytest.CaptureFixture[str], kind: str
) -> None:
    target = _make(kind, tmp_path, a_release)
    before = state(tmp_path)
    assert main(["release", str(target), "--graph", str(sample_file)]) == 2
    line = one_line_error(capsys.readouterr().err, "release")
    assert line.startswith(f"xjkg release: error: {target}: "), line
    assert "left untouched" in line
    assert state(tmp_path) == before  # the target and its siblings: no lock, no temporary folder


@pytest.mark.parametrize("kind", ["file", "foreign-folder", "release-plus-a-file"])
def test_the_library_call_refuses_too(tmp_path: Path, a_release: Path, kind: str) -> None:
    target = _make(kind, tmp_path, a_release)
    before = state(tmp_path)
    with pytest.raises(XjkgError) as caught:
        release(target, graph=sample_graph(), validate=False)
    assert caught.value.exit_code == 2
    assert state(tmp_path) == before


def test_release_refuses_the_root_folder(capsys: pytest.CaptureFixture[str]) -> None:
    before = sorted(os.listdir("/"))
    assert main(["release", "/"]) == 2
    assert "is the root folder" in one_line_error(capsys.readouterr().err, "release")
    assert sorted(os.listdir("/")) == before


def test_release_never_creates_the_parent_folder(
    tmp_path: Path, sample_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["release", str(tmp_path / "missing" / "release"), "--graph", str(sample_file)]) == 2
    assert "does not exist" in one_line_error(capsys.readouterr().err, "release")
    assert list(tmp_path.iterdir()) == []


@pytest.mark.slow
def test_release_fills_an_empty_folder_and_replaces_its_own(tmp_path: Path, a_release: Path) -> None:
    empty = tmp_path / "empty"
    empty.mkdir()
    first = release(empty, graph=sample_graph(), validate=False, release_date=date(2024, 5, 1))
    assert first.previous is None and (empty / "catalog.ttl").is_file()
    previous = tmp_path / "previous"
    shutil.copytree(a_release, previous)
    again = release(previous, graph=sample_graph(), validate=False, release_date=date(2024, 6, 1))
    assert again.previous == previous and "0.1.0 (2024-05-01)" in (previous / "CHANGELOG.md").read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty", "empty.lock", "previous", "previous.lock"]


# --------------------------------------------------------------------------------------------- outputs

#: command → the arguments before the output option, and the option.
FILE_OUTPUTS = {
    "export": (["export", "--part", "ontology"], "-o"),
    "validate": (["validate", "IN"], "--output"),
    "build": (["build"], "--output"),
    "query": (["query", "dataset-summary"], "-o"),
}


def _argv(command: str, output: str, tmp_path: Path) -> list[str]:
    head, option = FILE_OUTPUTS[command]
    data = tmp_path / "in" / "data.ttl"
    if not data.exists():
        data.parent.mkdir()
        sample_graph().serialize(data, format="turtle")
    return [str(data) if a == "IN" else a for a in head] + [option, output]


@pytest.mark.parametrize("command", FILE_OUTPUTS)
@pytest.mark.parametrize("name", ["missing/", "missing/out.ttl", "missing/deeper/out.ttl"])
def test_no_folder_is_made_for_an_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], command: str, name: str
) -> None:
    monkeypatch.chdir(tmp_path)
    argv = _argv(command, name, tmp_path)
    before = state(tmp_path)
    assert main(argv) == 2
    line = one_line_error(capsys.readouterr().err, command)
    assert name.rstrip("/") in line and ("no such folder" in line or "does not exist" in line), line
    assert state(tmp_path) == before  # no file named "missing", no folder, no lock


@pytest.mark.parametrize("command", ["validate", "build", "query"])
def test_a_folder_is_not_a_file_name(tmp_path: Path, capsys: pytest.CaptureFixture[str], command: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "keep.txt").write_text("mine")
    argv = _argv(command, str(folder), tmp_path)
    before = state(tmp_path)
    assert main(argv) == 2
    assert "is a folder" in one_line_error(capsys.readouterr().err, command)
    assert state(tmp_path) == before


def test_docs_make_only_the_folder_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["docs", "-o", str(tmp_path / "a" / "site")]) == 2
    assert "does not exist" in one_line_error(capsys.readouterr().err, "docs")
    (tmp_path / "notes").write_text("mine")
    assert main(["docs", "-o", str(tmp_path / "notes")]) == 2
    assert "not a folder" in one_line_error(capsys.readouterr().err, "docs")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["notes"]
    assert (tmp_path / "notes").read_text() == "mine"


@pytest.mark.slow  # the command in a fresh process
def test_export_writes_through_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    # A real process, as a user runs it: it blocks on the pipe until the reader has opened it.
    done = subprocess.run(
        [sys.executable, "-m", "xjkg", "export", "--part", "ontology", "--format", "ntriples", "-o", str(fifo)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if reader.is_alive() and done.returncode != 0:  # it never opened the pipe: let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(60)
    assert done.returncode == 0, done.stderr
    assert b"<https://w3id.org/xjkg/ontology>" in received[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


def test_export_writes_through_a_fifo_in_process(tmp_path: Path) -> None:
    """The fast lane's twin of the test above: the same command line through ``xjkg.cli.main``."""
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    code = main(["export", "--part", "ontology", "--format", "ntriples", "-o", str(fifo)])
    if reader.is_alive() and code != 0:  # it never opened the pipe: let the reader go
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))
    reader.join(60)
    assert code == 0
    assert b"<https://w3id.org/xjkg/ontology>" in received[0]
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe"]


@pytest.mark.slow
@needs_root
@pytest.mark.parametrize("command", ["export", "build"])
def test_a_device_is_written_in_place_with_no_lock_beside_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, command: str
) -> None:
    devices = tmp_path / "dev"
    devices.mkdir()
    null = devices / "null"
    os.mknod(null, 0o666 | stat.S_IFCHR, os.makedev(1, 3))
    before = state(devices)
    assert main(_argv(command, str(null), tmp_path)) == 0
    assert state(devices) == before  # still the device node, nothing beside it


@pytest.mark.parametrize("command", ["export", "query"])
def test_a_link_to_a_file_is_followed_and_kept(tmp_path: Path, command: str) -> None:
    real = tmp_path / "real.ttl"
    real.write_text("old")
    real.chmod(0o600)
    link = tmp_path / "link.ttl"
    link.symlink_to(real)
    assert main(_argv(command, str(link), tmp_path)) == 0
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert real.read_text() != "old"
    assert stat.S_IMODE(real.stat().st_mode) == 0o600  # a replaced file keeps its permissions


# ------------------------------------------------------------------------------------------------ URLs

BAD_URLS = [
    '"><script>alert(1)</script>',
    'https://example.org/"><script>/',
    "javascript:alert(1)//",
    "ftp://example.org/",
    "https:///nohost/",
    "https://user:secret@example.org/",
    "https://example.org/a b/",
    "https://example.org/{x}/",
    "https://example.org/#frag/",
    "https://example.org:99999/",
    "/relative/path/",
    "https://example.org/\nforged/",
]


@pytest.mark.parametrize("url", BAD_URLS)
@pytest.mark.parametrize("option", ["--base-url", "--endpoint-url"])
def test_release_urls_must_be_http_iris(
    tmp_path: Path, sample_file: Path, capsys: pytest.CaptureFixture[str], option: str, url: str
) -> None:
    target = tmp_path / "release"
    assert main(["release", str(target), "--graph", str(sample_file), option, url]) == 2
    line = one_line_error(capsys.readouterr().err, "release")
    assert line.startswith(f"xjkg release: error: {option} "), line
    assert "secret" not in line or "user name or password" in line
    assert list(tmp_path.iterdir()) == []


def test_release_base_url_must_end_with_a_slash(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["release", str(tmp_path / "r"), "--base-url", "https://example.org/xjkg"]) == 2
    assert "end with '/'" in one_line_error(capsys.readouterr().err, "release")


@pytest.mark.slow
def test_a_good_endpoint_url_reaches_the_catalog_and_a_bad_one_never(tmp_path: Path) -> None:
    with pytest.raises(XjkgError):
        release(tmp_path / "bad", graph=sample_graph(), validate=False, endpoint_url="javascript:alert(1)")
    assert list(tmp_path.iterdir()) == []
    good = "https://example.org/sparql?x=é"
    release(tmp_path / "good", graph=sample_graph(), validate=False, endpoint_url=good)
    catalog = Graph().parse(tmp_path / "good" / "catalog.ttl")
    assert (None, URIRef("http://rdfs.org/ns/void#sparqlEndpoint"), URIRef(good)) in catalog


@pytest.mark.slow
@pytest.mark.parametrize("url", ['"><script>alert(1)</script>', "javascript:alert(1)", "https://e.org/a b"])
def test_serve_base_url_must_be_an_http_iri(url: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "xjkg", "serve", "--port", "0", "--base-url", url],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    assert one_line_error(done.stderr, "serve").startswith("xjkg serve: error: --base-url ")


@pytest.mark.slow
def test_what_appears_at_the_target_while_releasing_is_kept(
    tmp_path: Path, a_release: Path, sample_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The target is checked again before the swap, and what the swap moved aside once more before deleting."""
    from xjkg.publish import release as release_module

    target = tmp_path / "release"
    target.mkdir()
    original = release_module._sha256sums

    def meanwhile(folder: Path) -> bytes:  # a user saves a file into the (empty) target mid-release
        (target / "notes.txt").write_text("mine")
        return original(folder)

    monkeypatch.setattr(release_module, "_sha256sums", meanwhile)
    with pytest.raises(XjkgError) as caught:
        release(target, graph=sample_graph(), validate=False)
    assert caught.value.exit_code == 2
    assert sorted(p.name for p in target.iterdir()) == ["notes.txt"]
    # The last check, inside the swap itself: the folder moved aside is put back, not deleted.
    new = tmp_path / "new"
    shutil.copytree(a_release, new)
    before = state(target)
    with pytest.raises(XjkgError) as caught:
        release_module._swap(new, target)
    assert caught.value.exit_code == 3 and "changed while" in caught.value.message
    assert state(target) == before and (new / "catalog.ttl").is_file()
