"""The report: read it, check it is the one we mapped, and cut it into body, sections and sentences.

Offsets everywhere are Python string indices (Unicode code points) into the decoded text, end exclusive:
``report.text[start:end]`` is the quoted text.
"""

from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from xjkg.core.errors import XjkgError
from xjkg.core.textfiles import decode, read_bytes, shown

__all__ = ["QuoteIndex", "Report", "Sentence", "load_report"]

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


class QuoteIndex:
    """Where each word (a run between two spaces) of a text starts, to count a quote's occurrences quickly.

    A quote holding a whole word between two of its spaces can stand only where that word stands, so its
    occurrences are found among the places of its rarest such word instead of by scanning the text: counting
    the quotes of a report's every number stays linear in the report's length. A quote with no such word is
    counted by a scan.

    >>> index = QuoteIndex("in 2009 it built 12 roads and in 2010 it built 12 roads more")
    >>> index.count("it built 12 roads"), index.count("2010 it built"), index.count("built")
    (2, 1, 2)
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.words: dict[str, list[int]] = {}
        at = 0
        for word in text.split(" "):
            self.words.setdefault(word, []).append(at)
            at += len(word) + 1

    def count(self, quote: str, stop: int = 2) -> int:
        """How often ``quote`` stands in the text, counted up to ``stop`` (2 answers "once or more than once")."""
        return len(self.places(quote, stop))

    def places(self, quote: str, stop: int = 2) -> list[int]:
        """Where ``quote`` stands in the text (the first ``stop`` places, without overlaps, as str.count counts)."""
        best: tuple[int, list[int]] | None = None
        space = quote.find(" ")
        while space >= 0:
            following = quote.find(" ", space + 1)
            if following < 0:
                break
            places = self.words.get(quote[space + 1 : following], [])
            if best is None or len(places) < len(best[1]):
                best = (space + 1, places)
            space = following
        found: list[int] = []
        if best is None:  # no whole word inside: a scan
            at = self.text.find(quote)
            while at >= 0 and quote and len(found) < stop:
                found.append(at)
                at = self.text.find(quote, at + len(quote))
            return found
        offset, places = best
        free_from = 0
        for place in places:  # in text order
            at = place - offset
            if at >= free_from and self.text.startswith(quote, at):
                found.append(at)
                free_from = at + len(quote)
                if len(found) >= stop:
                    break
        return found


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
                        # Only the last 4 characters can hold " 12.": a search from 0 made a long line quadratic.
                        if _LIST_NUMBER.search(chunk, max(0, boundary.start() - 4), boundary.start()):
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
        """The sentence holding character ``offset`` (a binary search: drafting asks once per number)."""
        at = bisect.bisect_right(self.sentences, offset, key=lambda s: s.start) - 1
        if at >= 0 and self.sentences[at].start <= offset < self.sentences[at].end:
            return self.sentences[at]
        raise ValueError(f"offset {offset} is in no sentence of the body")

    @cached_property
    def body_words(self) -> QuoteIndex:
        """The body's words indexed, to count a quote's occurrences without scanning the body each time."""
        return QuoteIndex(self.body)

    @cached_property
    def text_words(self) -> QuoteIndex:
        """The whole text's words indexed (quotes of the footer: the publisher, the rights)."""
        return QuoteIndex(self.text)

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0, *(m.end() for m in re.finditer("\n", self.text))]

    def line_of(self, offset: int) -> int:
        """1-based line number of ``offset`` (for messages; a binary search, as a build may ask once a number)."""
        return bisect.bisect_right(self._line_starts, offset)


def load_report(path: Path, expected_sha256: str | None = None, footer_marker: str | None = None) -> Report:
    """Read the report, refuse it if its checksum is not the one the mapping was written against.

    The file is read by :func:`xjkg.core.textfiles.read_bytes` (a regular file inside its report's folder, capped) and
    decoded strictly (a byte order mark dropped, control characters refused with their line).
    """
    path = Path(path)
    raw = read_bytes(path, within=path.parent, what="report text")
    digest = hashlib.sha256(raw).hexdigest()
    if expected_sha256 is not None and digest != expected_sha256:
        raise XjkgError(
            f"{path}: the report has changed (sha256 {digest}, expected {expected_sha256}); "
            "the mapping quotes the original text: restore the original, or review the mapping against the new "
            f"text and update the checksum in {path.parent / 'report.yaml'}"
        )
    text = decode(raw, path)
    body_end = len(text)
    if footer_marker:
        index = text.find(footer_marker)
        if index < 0:
            raise XjkgError(f"{path}: footer marker {shown(footer_marker)} not found")
        body_end = index
    return Report(path=path, text=text, sha256=digest, body_end=body_end)
