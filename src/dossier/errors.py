"""Every message the project gives a user, in one catalogue, each with a code.

A stage that cannot handle its input raises :class:`DossierError`; the pipeline records the message
on the source and goes on with the batch.
"""

from __future__ import annotations

MESSAGES: dict[str, str] = {
    "E001": "cannot read {uri}: {reason}",
    "E002": "{uri} looks binary ({why}); not a text or HTML capture",
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
    # bad input, limits and the build lock (E030–E039)
    "E030": "{uri}: line {line} is {length} characters long, over the limit of {limit} for plain text"
    " (not prose: a dump or a minified blob; set --max-line-chars to raise it)",
    "E031": "cannot fetch {uri}: the download passed {limit} bytes and was stopped"
    " (set --max-fetch-bytes to raise it)",
    "E032": "{uri}: the scheme {scheme} is not allowed (allowed: {allowed}; --allow-scheme sets the list)",
    "E033": "cannot fetch {uri}: no complete answer within {limit} s (set --timeout to raise it)",
    "E035": "{uri} is not a regular file ({kind}); only files, folders and URLs are read",
    "E036": "store {path} is being built by another process (pid {pid}); wait for that build to finish"
    " or give another --db",
    "E037": "unexpected failure in stage {stage} on {uri}: {reason} (a bug, please report it; the rest of"
    " the batch went on)",
    # search, web and ask (E040–E049)
    "E040": "search query {query!r}: {reason}",
    "E041": "search filter {name}={value!r}: {reason}",
    "E042": "no article {article_id} in the store",
    "E043": "no entity {entity_id} in the store",
    # timeline (E050–E059)
    "E050": "{value!r} is not a date: give 2023, 2023-09 or 2023-09-13",
    # knowledge base, entities and the VLSP reader (E060–E069)
    "E060": "knowledge base {path}: {reason}",
    "E061": "no entity {kb_id} in the knowledge base (see `dossier kb list`)",
    "E062": "cannot read the Wikidata dump {path}: {reason}",
    "E063": "VLSP file {path}, line {line}: {reason}",
    "E064": "the entity recogniser's model {path} is missing or unreadable ({reason}); rebuild it with"
    " `make ner-model`",
    # scale: engines, incremental updates, feeds, PostgreSQL (E070–E079)
    "E070": "unknown engine {engine!r} (expected local or ray)",
    "E071": "the ray engine needs the ray package ({reason}); install it with pip install 'ray>=2.9'",
    "E072": "cannot reach the Ray cluster at {address}: {reason}",
    "E073": "no stored source matches {target}",
    "E074": "{uri} is not an RSS or Atom feed ({reason})",
}


class DossierError(Exception):
    """An error with a code from the catalogue and a message a user can act on."""

    def __init__(self, code: str, **fields: object) -> None:
        self.code = code
        self.fields = fields
        message = MESSAGES[code].format(**fields)
        # one line whatever the fields hold (a file name or a server's answer may carry line breaks),
        # so that `dossier status` shows one reason per source
        if "\n" in message or "\r" in message:
            message = " ".join(message.split())
        super().__init__(f"{code}: {message}")
