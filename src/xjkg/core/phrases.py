"""How a title says a list: names joined with "and", years as runs (the catalogue's and the site's titles)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

__all__ = ["and_joined", "year_runs"]


def year_runs(years: Iterable[int]) -> str:
    """Years, runs joined (``2009–2011``), gaps kept (``2007, 2009``).

    >>> year_runs([2010, 2009, 2007, 2011])
    '2007, 2009–2011'
    """
    runs: list[list[int]] = []
    for year in sorted(set(years)):
        if runs and year == runs[-1][-1] + 1:
            runs[-1].append(year)
        else:
            runs.append([year])
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)


def and_joined(names: Sequence[str]) -> str:
    """``A``, ``A and B``, ``A, B and C``.

    >>> and_joined(["Xinjiang", "Gansu", "Tibet"])
    'Xinjiang, Gansu and Tibet'
    """
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
