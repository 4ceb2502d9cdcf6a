"""Errors kg raises on purpose; the CLI turns them into one-line messages.

    KgError                 anything the user can fix; exit code 1
    ├── InputError          a path or file that cannot be read as a report
    │   ├── NotFoundError   a path that does not exist or holds no report
    │   └── DecodeError     a file in no encoding kg knows
    ├── GoldError           a gold file that does not follow GUIDELINES.md
    └── GraphError          a graph file that cannot be parsed

Real bugs are not caught: they keep their traceback.
"""

from __future__ import annotations


class KgError(Exception):
    """An error the user can fix; `str()` is the one-line message."""


class InputError(KgError):
    def __init__(self, path: str, problem: str, fix: str) -> None:
        self.path = path
        self.problem = problem
        self.fix = fix
        super().__init__(f"{path}: {problem} - {fix}")


class NotFoundError(InputError):
    pass


class DecodeError(InputError):
    pass


class GoldError(KgError):
    pass


class GraphError(KgError):
    pass
