"""Views read club-scoped models only through visible_to() or a checked fetch (style.md §3)."""

from __future__ import annotations

import re
from pathlib import Path

SCOPED_MODELS = ("Club", "Operator", "Room", "ComputerStation", "Grant", "AuditEvent")
KIS = Path(__file__).resolve().parent.parent / "kis"
UNSCOPED = re.compile(rf"\b({'|'.join(SCOPED_MODELS)})\.objects\.(?!visible_to\()")
# A fetch limited to a club the view has already checked is scoped too.
ALLOWED = re.compile(r"\.filter\(club=club\b|in_scopes\(")


def test_views_never_query_a_scoped_model_directly() -> None:
    offenders = []
    for path in sorted(KIS.glob("*/views.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if UNSCOPED.search(line) and not ALLOWED.search(line):
                offenders.append(f"{path.relative_to(KIS.parent)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)
