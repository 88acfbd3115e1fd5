"""Print what every URL of the matrix answers to every persona (to review new rows).

Usage: .venv/bin/pytest tests/matrix_probe.py -q -s -p no:xdist
"""

from __future__ import annotations

from typing import Any

from django.test import Client

from tests.test_permission_matrix import PERSONAS, all_url_names, load_matrix, request_as


def test_probe(world: Any, settings: Any) -> None:
    settings.REQUIRE_MFA = False
    matrix = load_matrix()
    for name in sorted(all_url_names()):
        row = matrix.get(name)
        if row is None:
            print(f"{name}: NOT IN MATRIX")
            continue
        observed = [str(request_as(Client(), world, persona, row)) for persona in PERSONAS]
        print(",".join([name, row["method"], row["path"], *observed]))
