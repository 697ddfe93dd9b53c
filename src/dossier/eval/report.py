"""Rendering an evaluation result (see :func:`dossier.eval.score.evaluate`) as text or JSON."""

from __future__ import annotations

import json
from typing import Any

HEADER = ("kind", "metric", "P", "R", "F1/value", "counts")
RIGHT_ALIGNED = {2, 3, 4}  # the number columns


def _row(kind: str, figure: dict[str, Any]) -> tuple[str, ...]:
    """One table row: P, R and F1 for a precision/recall figure, the value alone for a rate."""
    if "f1" in figure:
        counts = f"tp={figure['tp']} fp={figure['fp']} fn={figure['fn']}"
        return (
            kind,
            figure["metric"],
            f"{figure['precision']:.3f}",
            f"{figure['recall']:.3f}",
            f"{figure['f1']:.3f}",
            counts,
        )
    return (kind, figure["metric"], "", "", f"{figure['value']:.3f}", f"{figure['count']}/{figure['total']}")


def render_text(result: dict[str, Any]) -> str:
    """An aligned table, one row per kind and figure, under a line naming the gold folder and files;
    notes (what could not be scored) follow the table."""
    rows = [HEADER] + [_row(kind, fig) for kind, figures in result["kinds"].items() for fig in figures]
    widths = [max(len(row[i]) for row in rows) for i in range(len(HEADER))]
    lines = [f"gold: {result['gold']} ({', '.join(result['files']) or 'no files'})", ""]
    for n, row in enumerate(rows):
        cells = [
            cell.rjust(width) if i in RIGHT_ALIGNED else cell.ljust(width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
        if n == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines.extend(f"note: {note}" for note in result.get("notes", []))
    return "\n".join(lines)


def render_json(result: dict[str, Any]) -> str:
    """The result as indented JSON (UTF-8 text kept as is)."""
    return json.dumps(result, ensure_ascii=False, indent=2)
