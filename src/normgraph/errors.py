"""The error normgraph raises for bad input, and the exit codes of the CLI.

Exit codes (as pySHACL's): 0 ok, 1 does not conform / nothing found, 2 usage or
input error.  An `InputError` carries one line that says what and where.
"""
from __future__ import annotations

EXIT_OK = 0
EXIT_NONCONFORMING = 1
EXIT_INPUT = 2


class InputError(Exception):
    """Bad input: a file that cannot be read, a bad sidecar, an unknown party id, ..."""

    def __init__(self, where: str, what: str) -> None:
        super().__init__(f"{where}: {what}")
        self.where = where
        self.what = what
