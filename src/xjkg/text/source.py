"""The report: read it, check it is the one we mapped, and cut it into body, sections and sentences.

Offsets everywhere are Python string indices (Unicode code points) into the decoded text, end exclusive:
``report.text[start:end]`` is the quoted text.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from xjkg.core.errors import XjkgError

__all__ = ["Report", "Sentence", "load_report"]

# A sentence ends at ". " before a capital, a digit or an opening quote, or at the end of a line; the
# report runs lists with ";" inside one sentence. "1." list markers and decimals never end one.
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"【])")
_LIST_NUMBER = re.compile(r"(?:^|\s)\d{1,2}\.$")
_HEADING = re.compile(r"【[^】]*】")


@dataclass(frozen=True)
class Sentence:
    """A sentence of the body: its 1-based number, offsets, text and section heading."""

    number: int
    start: int
    end: int
    text: str
    section: str


@dataclass(frozen=True)
class Report:
    """The report text with its checksum and the offset where the publisher's footer begins."""

    path: Path
    text: str
    sha256: str
    body_end: int

    @property
    def body(self) -> str:
        return self.text[: self.body_end]

    @cached_property
    def sentences(self) -> tuple[Sentence, ...]:
        """The body cut into sentences; headings (【…】) are their own sentences, lines never run together.

        >>> from xjkg.mapping.corpus import open_corpus
        >>> report = load_report(open_corpus().report("iprcc-xinjiang-2009").source_file)
        >>> report.sentences[0].text
        'Poverty Alleviation and Development in Xinjiang Uygur Autonomous Region'
        """
        found: list[Sentence] = []
        section = ""
        line_start = 0
        for line in self.body.splitlines(keepends=True):
            pieces: list[tuple[int, int]] = []
            cursor = 0
            content = line.rstrip("\r\n")
            for heading in _HEADING.finditer(content):
                pieces.append((cursor, heading.start()))
                pieces.append((heading.start(), heading.end()))
                cursor = heading.end()
            pieces.append((cursor, len(content)))
            for start, end in pieces:
                chunk = content[start:end]
                if _HEADING.fullmatch(chunk):
                    section = chunk.strip("【】")
                    parts = [(start, end)]
                else:
                    parts = []
                    last = start
                    for boundary in _SENTENCE_END.finditer(chunk):
                        if _LIST_NUMBER.search(chunk, 0, boundary.start()):
                            continue  # "1. Pilot projects…": the item number opens the sentence
                        parts.append((last, start + boundary.start()))
                        last = start + boundary.end()
                    parts.append((last, end))
                for a, b in parts:
                    text = content[a:b]
                    stripped_start = a + (len(text) - len(text.lstrip()))
                    stripped_end = b - (len(text) - len(text.rstrip()))
                    if stripped_end > stripped_start:
                        found.append(
                            Sentence(
                                number=len(found) + 1,
                                start=line_start + stripped_start,
                                end=line_start + stripped_end,
                                text=content[stripped_start:stripped_end],
                                section=section,
                            )
                        )
            line_start += len(line)
        return tuple(found)

    def sentence_at(self, offset: int) -> Sentence:
        """The sentence holding character ``offset``."""
        for sentence in self.sentences:
            if sentence.start <= offset < sentence.end:
                return sentence
        raise ValueError(f"offset {offset} is in no sentence of the body")

    def line_of(self, offset: int) -> int:
        """1-based line number of ``offset`` (for messages)."""
        return self.text.count("\n", 0, offset) + 1


def load_report(path: Path, expected_sha256: str | None = None, footer_marker: str | None = None) -> Report:
    """Read the report, refuse it if its checksum is not the one the mapping was written against."""
    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        raise XjkgError(f"{path}: cannot read the report: {exc.strerror}") from None
    digest = hashlib.sha256(raw).hexdigest()
    if expected_sha256 is not None and digest != expected_sha256:
        raise XjkgError(
            f"{path}: the report has changed (sha256 {digest}, expected {expected_sha256}); "
            "the mapping quotes the original text: restore the original, or review the mapping against the new "
            f"text and update the checksum in {Path(path).parent / 'report.yaml'}"
        )
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise XjkgError(f"{path}: not UTF-8 (byte {exc.start})") from None
    body_end = len(text)
    if footer_marker:
        index = text.find(footer_marker)
        if index < 0:
            raise XjkgError(f"{path}: footer marker {footer_marker!r} not found")
        body_end = index
    return Report(path=Path(path), text=text, sha256=digest, body_end=body_end)
