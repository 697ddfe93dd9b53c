"""Exports: the JSON contract, and Markdown, CSV and a static HTML site rendered from the same store."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from dossier.errors import DossierError
from dossier.exports.csv_export import write_csv
from dossier.exports.html_site import write_site
from dossier.exports.json_export import build_export, validate, write_json
from dossier.exports.markdown import write_markdown
from dossier.store.sqlite import Store

__all__ = [
    "FORMATS",
    "build_export",
    "export",
    "validate",
    "write_csv",
    "write_json",
    "write_markdown",
    "write_site",
]

# A file format may go to stdout; a folder format needs somewhere to put its files.
_TO_FILE: dict[str, Callable[[Store, Path | None], Path | None]] = {"json": write_json, "md": write_markdown}
_TO_FOLDER: dict[str, Callable[[Store, Path], Path]] = {"csv": write_csv, "html": write_site}
FORMATS = (*_TO_FILE, *_TO_FOLDER)


def export(store: Store, fmt: str, out: Path | None) -> Path | None:
    """Write the dossier in ``fmt`` (json, md, csv or html) and return what was written.

    json and md write one file at ``out``, or to stdout when ``out`` is None (then None is returned);
    json is checked against the contract first and nothing is written if it fails (DossierError E012).
    csv and html write a folder of files at ``out``, which they need.
    """
    if fmt in _TO_FILE:
        return _TO_FILE[fmt](store, Path(out) if out is not None else None)
    if fmt in _TO_FOLDER:
        if out is None or (Path(out).exists() and not Path(out).is_dir()):
            raise DossierError("E013", fmt=fmt)
        return _TO_FOLDER[fmt](store, Path(out))
    raise DossierError("E014", fmt=repr(fmt), expected=", ".join(FORMATS))
