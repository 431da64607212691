"""The build's warnings as a user reads them: each names its file, and a party once.

Guards issue 11: "warning: no place: ..." did not name the file, and a G7 statement without parties
in its sidecar gave "took Group of Seven, Group of Seven from the opening words".
"""
from __future__ import annotations

from pathlib import Path

from normgraph.cli import main

STATEMENT = "G7 Leaders' Statement\n\n1. We, the Leaders of the Group of Seven (G7), reaffirm our commitment to " \
            "the Charter of the United Nations.\n"


def test_validate_warnings_name_their_file_and_each_party_once(tmp_path: Path, capsys) -> None:
    text = tmp_path / "g7-statement.txt"
    text.write_text(STATEMENT, encoding="utf-8")
    assert main(["build", str(text), "-o", str(tmp_path / "kg"), "--no-validate"]) == 0
    warnings = [line for line in capsys.readouterr().err.splitlines() if line.startswith("warning: ")]
    assert any(w.startswith(f"warning: {text}: no place: ") for w in warnings)
    assert all(w.startswith(f"warning: {text}: ") for w in warnings), warnings
    took = [w for w in warnings if "took" in w]
    assert took == [f"warning: {text}: no parties in the sidecar; took Group of Seven from the opening words"]
