"""Every message the project gives a user, in one catalogue, each with a code.

A stage that cannot handle its input raises :class:`DossierError`; the pipeline records the message
on the source and goes on with the batch.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "E001": "cannot read {uri}: {reason}",
    "E002": "{uri} looks binary (NUL bytes, no text encoding fits); not a text or HTML capture",
    "E003": "cannot decode {uri} as any known encoding (tried {tried})",
    "E004": "{uri} is empty",
    "E005": "cannot fetch {uri}: {reason}",
    "E006": "{uri}: unsupported media type {media_type} (expected .txt, .md, .html or .htm)",
    "E007": "{uri}: no article text found after removing site chrome",
    "E008": "{uri} is {size} bytes, over the limit of {limit} bytes (set --max-bytes to raise it)",
    "E009": "store {path}: {reason}",
    "E010": "gold folder {path}: {reason}",
    "E011": "{path} does not exist",
    "E012": "export does not validate against the contract: {reason}",
    "E013": "--format {fmt} writes a folder of files: give a folder with -o DIR",
    "E014": "unknown export format {fmt} (expected one of {expected})",
}


class DossierError(Exception):
    """An error with a code from the catalogue and a message a user can act on."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        super().__init__(f"{code}: {MESSAGES[code].format(**fields)}")
