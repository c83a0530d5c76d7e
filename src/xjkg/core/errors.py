"""The one exception type the CLI turns into a message and an exit code (never a traceback)."""

from __future__ import annotations

__all__ = ["EXIT_BAD_INPUT", "EXIT_FAILED", "EXIT_NOT_CONFORMING", "EXIT_OK", "XjkgError"]

#: Documented exit codes (README, "Exit codes"), shared by every command.
EXIT_OK = 0
EXIT_NOT_CONFORMING = 1  # data does not conform, or a check found rows
EXIT_BAD_INPUT = 2  # bad input, bad usage, a broken file
EXIT_FAILED = 3  # the run could not finish: endpoint unreachable, time limit, lock held


class XjkgError(Exception):
    """An error a user can act on: the message names the file, line or entry at fault.

    >>> str(XjkgError("mapping.yaml:3: quote not found"))
    'mapping.yaml:3: quote not found'
    """

    def __init__(self, message: str, exit_code: int = EXIT_BAD_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code
