"""One options object for a build; defaults here, overrides from the command line."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Options:
    max_bytes: int = 50 * 1024 * 1024  # largest input file read (refused from its size, before reading)
    fetch_timeout: float = 20.0  # seconds for one URL, all of it: connect, redirects and body
    force: bool = False  # reprocess sources whose bytes are already stored
    max_fetch_bytes: int = 20 * 1024 * 1024  # largest download; the fetch stops as soon as it passes
    max_redirects: int = 5
    # schemes a URL the user names may use (also checked on every redirect); URLs are never taken
    # from article content
    url_schemes: tuple[str, ...] = ("http", "https")
    # longest line of a plain-text or Markdown capture, in characters: a longer one is not prose (a
    # minified blob, a dump) and the splitter would spend minutes on it; HTML is exempt (minified
    # markup is normal and the extractor reads the markup, not the lines)
    max_line_chars: int = 1_000_000
