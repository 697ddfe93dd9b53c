"""The store's schema as named migrations, applied in order and recorded in ``_migrations``.

A migration is never edited once released; a change to the schema is a new migration appended here.
"""

from __future__ import annotations

import re

# Migration 0007 after its search tables, the same on both dialects (ddl_for drops WITHOUT ROWID)
_LEAN_STORE_REST = """
        ALTER TABLE sentences DROP COLUMN text;
        DROP INDEX IF EXISTS times_value;
        DROP TABLE dedup_bands;
        DELETE FROM dedup_seen;
        CREATE TABLE dedup_bands (
            hash BIGINT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (hash, article_id)
        ) WITHOUT ROWID;
        CREATE INDEX dedup_bands_article ON dedup_bands(article_id);
        CREATE INDEX claim_mentions_key ON claim_mentions(key);
        ALTER TABLE events ADD COLUMN day_first TEXT;
        ALTER TABLE events ADD COLUMN day_last TEXT;
        CREATE INDEX events_days ON events(day_first, day_last DESC, type, id);
        DROP INDEX IF EXISTS events_date;
        CREATE INDEX events_date ON events(date, id);
        CREATE TABLE event_participants (
            entity_id TEXT NOT NULL,
            event_id TEXT NOT NULL,
            PRIMARY KEY (entity_id, event_id)
        );
        ALTER TABLE entities ADD COLUMN mention_count INTEGER NOT NULL DEFAULT 0;
        CREATE INDEX entities_mentions ON entities(mention_count);
        INSERT INTO build_state (key, value) VALUES ('finalize_pending', '1')
            ON CONFLICT (key) DO UPDATE SET value = excluded.value
        """

MIGRATIONS: list[tuple[str, str]] = [
    (
        "0001_sources_articles_sentences",
        """
        CREATE TABLE sources (
            id TEXT PRIMARY KEY,
            uri TEXT NOT NULL,
            sha256 TEXT NOT NULL UNIQUE,
            bytes INTEGER NOT NULL,
            media_type TEXT NOT NULL,
            encoding TEXT,
            status TEXT NOT NULL,
            error TEXT,
            version INTEGER NOT NULL DEFAULT 1,
            fetched_from TEXT,
            pipeline_version TEXT NOT NULL,
            ingested_at TEXT NOT NULL,
            text TEXT,
            column_maps TEXT
        );
        CREATE INDEX sources_uri ON sources(uri);

        CREATE TABLE articles (
            id TEXT PRIMARY KEY,
            source_id TEXT NOT NULL REFERENCES sources(id) ON DELETE CASCADE,
            ordinal INTEGER NOT NULL,
            start_line INTEGER NOT NULL,
            end_line INTEGER NOT NULL,
            title TEXT NOT NULL,
            published TEXT,
            published_time TEXT,
            outlet TEXT,
            original_outlet TEXT,
            authors TEXT NOT NULL,
            translator TEXT,
            contributors TEXT NOT NULL DEFAULT '[]',
            language TEXT NOT NULL,
            text TEXT NOT NULL,
            offsets TEXT NOT NULL,
            duplicate_of TEXT
        );
        CREATE INDEX articles_source ON articles(source_id);
        CREATE INDEX articles_published ON articles(published);

        CREATE TABLE sentences (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            idx INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            line INTEGER NOT NULL,
            text TEXT NOT NULL,
            PRIMARY KEY (article_id, idx)
        );
        """,
    ),
    (
        "0002_annotations_and_cross_article_objects",
        # Per-article annotations (mentions, times, quotes, event and claim mentions) are written with
        # their source; cross-article objects (entities, events, claims) are recomputed from them after
        # each build. Present, and empty, from the start so that every export has one shape.
        """
        CREATE TABLE mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            entity_id TEXT NOT NULL,
            type TEXT NOT NULL,
            line INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            confidence REAL NOT NULL,
            method TEXT NOT NULL,
            name TEXT
        );
        CREATE INDEX mentions_entity ON mentions(entity_id);
        CREATE INDEX mentions_article ON mentions(article_id);
        CREATE TABLE times (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL,
            value TEXT NOT NULL,
            value_end TEXT,
            granularity TEXT NOT NULL,
            basis TEXT NOT NULL
        );
        CREATE INDEX times_article ON times(article_id);
        CREATE INDEX times_value ON times(value);
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            speaker TEXT,
            speaker_text TEXT,
            text TEXT NOT NULL,
            kind TEXT NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            line INTEGER NOT NULL,
            end_line INTEGER NOT NULL
        );
        CREATE INDEX quotes_article ON quotes(article_id);
        CREATE INDEX quotes_speaker ON quotes(speaker);
        CREATE TABLE event_mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence INTEGER NOT NULL,
            line INTEGER NOT NULL,
            type TEXT NOT NULL,
            date TEXT,
            date_end TEXT,
            participants TEXT NOT NULL,
            place TEXT,
            summary TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX event_mentions_article ON event_mentions(article_id);
        CREATE TABLE claim_mentions (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            sentence INTEGER NOT NULL,
            line INTEGER NOT NULL,
            stance TEXT NOT NULL,
            proposition TEXT NOT NULL,
            key TEXT,
            holders TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX claim_mentions_article ON claim_mentions(article_id);

        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            wikidata TEXT,
            aliases TEXT NOT NULL,
            origin TEXT NOT NULL DEFAULT 'kb',
            confidence REAL NOT NULL DEFAULT 1.0,
            description TEXT
        );
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            date TEXT,
            date_end TEXT,
            type TEXT NOT NULL,
            summary TEXT NOT NULL,
            participants TEXT NOT NULL,
            place TEXT
        );
        CREATE INDEX events_date ON events(date);
        CREATE TABLE event_evidence (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX event_evidence_event ON event_evidence(event_id);
        CREATE TABLE claims (
            id TEXT PRIMARY KEY,
            text TEXT NOT NULL,
            asserted_by TEXT NOT NULL,
            denied_by TEXT NOT NULL
        );
        CREATE TABLE claim_evidence (
            claim_id TEXT NOT NULL REFERENCES claims(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            stance TEXT NOT NULL,
            text TEXT NOT NULL
        );
        CREATE INDEX claim_evidence_claim ON claim_evidence(claim_id);
        """,
    ),
    (
        "0003_search_index",
        # Full-text search. Folded columns (dossier.vi.text.fold: no diacritics, no case) make
        # "binh nhuong" find "Bình Nhưỡng"; *_exact columns (match_key: tone placement folded, case
        # folded, diacritics kept) let a query typed with diacritics rank exact spellings first; meta
        # holds filter tokens (year, month, outlet, entities, event types) so that filters are index
        # look-ups. search_map gives each article a small integer and its date; its sentences are rows
        # id * 4096 + idx of search_sentences, so both are found and deleted by rowid. Filled by
        # dossier.store.search. The drops clear a draft of these tables a development store may hold.
        """
        DROP TABLE IF EXISTS search_articles;
        DROP TABLE IF EXISTS search_sentences;
        DROP TABLE IF EXISTS search_map;
        CREATE TABLE search_map (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL UNIQUE,
            published TEXT
        );
        CREATE VIRTUAL TABLE search_articles USING fts5(
            title, body, title_exact, body_exact, meta, tokenize = 'unicode61 remove_diacritics 0',
            prefix = '2 3'
        );
        CREATE VIRTUAL TABLE search_sentences USING fts5(
            text, text_exact, tokenize = 'unicode61 remove_diacritics 0'
        );
        CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet)
        """,
    ),
    (
        "0004_build_state",
        # What a build must remember across a crash: ``finalize_pending`` is set before a build writes
        # its first source and cleared when the cross-article objects have been recomputed, so a
        # build killed in between is finished by the next one even when its inputs are all stored.
        """
        CREATE TABLE build_state (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )
        """,
    ),
    (
        "0005_scale_keys",
        # Keys the corpus stages shard by, kept so that a rebuild only works on what is new:
        # dedup_bands holds each article's MinHash LSH band hashes (candidate copies share one),
        # dedup_seen the articles whose bands are in (a short one has none), dedup_pairs the confirmed
        # near-verbatim pairs; the index on event_mentions serves merging by type and date.
        """
        CREATE TABLE dedup_bands (
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            band INTEGER NOT NULL,
            hash BIGINT NOT NULL
        );
        CREATE INDEX dedup_bands_key ON dedup_bands(band, hash);
        CREATE INDEX dedup_bands_article ON dedup_bands(article_id);
        CREATE TABLE dedup_seen (
            article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE
        );
        CREATE TABLE dedup_pairs (
            earlier TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            later TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            PRIMARY KEY (earlier, later)
        );
        CREATE INDEX dedup_pairs_later ON dedup_pairs(later);
        CREATE INDEX event_mentions_type_date ON event_mentions(type, date)
        """,
    ),
    (
        "0006_evidence_order",
        # Evidence is read in the order it was written (the first is the sentence that first told the
        # event). SQLite keeps that order in the rowid; PostgreSQL gets a sequence column (its variant
        # below), so both list evidence alike. Nothing to do on SQLite.
        "",
    ),
    (
        "0007_lean_store",
        # What the store kept twice, cut: the search tables become contentless (the folded and exact
        # copies of every article and sentence were stored beside their index; they are recomputed
        # from the stored text when an article is unindexed, and search_map keeps each article's
        # filter tokens), sentences keep their offsets only (their text is the article's text between
        # them), and the unqueried index on time values goes. dedup_bands holds one row per band hash
        # (the band mixed into the hash, 48 bands of a new, cheaper MinHash), keyed by hash;
        # dedup_seen is emptied so that the next build computes the new bands of every article (the
        # confirmed pairs stay). The FTS5 tables merge their segments 8 at a time, not 4 (a fifth less
        # work per article stored; searches measured no slower). Claims are grouped by key, one group
        # at a time (claim_mentions_key).
        # Timeline queries page in SQL: each event's first and last day (chronological order, date
        # filters) and its participants and place (event_participants, replaced with the events:
        # entity filters); entities keep their mention count (the entity list, most mentioned
        # first). The next build recomputes the cross-article objects (the finalize_pending flag a
        # crashed build leaves), filling these. The search index is refilled on the first search
        # (dossier.store.search_index.ensure_index).
        """
        DROP TABLE IF EXISTS search_articles;
        DROP TABLE IF EXISTS search_sentences;
        DROP TABLE IF EXISTS search_map;
        CREATE TABLE search_map (
            id INTEGER PRIMARY KEY,
            article_id TEXT NOT NULL UNIQUE,
            published TEXT,
            meta TEXT NOT NULL DEFAULT ''
        );
        CREATE VIRTUAL TABLE search_articles USING fts5(
            title, body, title_exact, body_exact, meta, tokenize = 'unicode61 remove_diacritics 0',
            prefix = '2 3', content = ''
        );
        CREATE VIRTUAL TABLE search_sentences USING fts5(
            text, text_exact, tokenize = 'unicode61 remove_diacritics 0', content = ''
        );
        INSERT INTO search_articles (search_articles, rank) VALUES ('automerge', 8);
        INSERT INTO search_sentences (search_sentences, rank) VALUES ('automerge', 8);
        """
        + _LEAN_STORE_REST,
    ),
    (
        "0008_dedup_sketches",
        # Each hashed article keeps its MinHash signature (NUM_PERM 32-bit values) and its number of
        # shingles, so that a candidate pair whose signatures agree too little to be copies is ruled
        # out without reading and hashing both texts again. Rows written before stay without them
        # (their pairs are checked on the texts, as before).
        """
        ALTER TABLE dedup_seen ADD COLUMN signature BLOB;
        ALTER TABLE dedup_seen ADD COLUMN shingles INTEGER
        """,
    ),
    (
        "0009_canonical_articles",
        # The corpus stages join their mentions to the articles that are no one's copy (and read their
        # date): an article's row holds its text and spans pages, so each such join read a page of the
        # table at random (at 100,000 articles the rows no longer fit in the page cache). This index
        # holds what the joins read (a few MB): the dated event mentions' (type, date) pairs of 100,000
        # articles were read in 5.7 CPU s, now 3.0.
        """
        CREATE INDEX articles_canonical ON articles(id, duplicate_of, published)
        """,
    ),
    (
        "0010_search_without_prefix_indexes",
        # search_articles no longer keeps an index of every word's first two and three letters: it was
        # half of what indexing an article cost (0.66 -> 0.33 CPU ms per article over 3,000 articles)
        # and more than half of the table's size (41 -> 18 MB). A prefix query (``Nga*``) reads the
        # words that start so from the index of words instead: slower (at 100,000 articles 25-38 ms at
        # the median and 118-156 at p95, against 10 and 26), a kind of query people type seldom. The search
        # tables are made again, empty; the first search refills them.
        """
        DROP TABLE IF EXISTS search_articles;
        DROP TABLE IF EXISTS search_sentences;
        DELETE FROM search_map;
        CREATE VIRTUAL TABLE search_articles USING fts5(
            title, body, title_exact, body_exact, meta, tokenize = 'unicode61 remove_diacritics 0',
            content = ''
        );
        CREATE VIRTUAL TABLE search_sentences USING fts5(
            text, text_exact, tokenize = 'unicode61 remove_diacritics 0', content = ''
        );
        INSERT INTO search_articles (search_articles, rank) VALUES ('automerge', 8);
        INSERT INTO search_sentences (search_sentences, rank) VALUES ('automerge', 8)
        """,
    ),
    (
        "0011_event_mentions_by_sentence",
        # Writing the timeline copies each piece of evidence's text from its event mention, found by
        # article and sentence: with the index on the article alone, every mention of the article was
        # read to find the sentence (at 100,000 articles, 930,000 lookups: the events stage took
        # 126.9 CPU s, 117.2 with this index)
        """
        DROP INDEX IF EXISTS event_mentions_article;
        CREATE INDEX event_mentions_article ON event_mentions(article_id, sentence)
        """,
    ),
    (
        "0012_event_mentions_in_merging_order",
        # Event merging reads a date's mentions ordered by article and line: with the index on type and
        # date alone, SQLite sorted each date's rows (4 MB of sorter beside the page cache); with these
        # columns in the index it sorts only the rows of one article and line (at 100,000 articles the
        # events stage peaked at 94.0 MB instead of 98.6, in 114.7 CPU s instead of 117.2; the index
        # takes 50 MB, 0.5 kB per article)
        """
        DROP INDEX IF EXISTS event_mentions_type_date;
        CREATE INDEX event_mentions_type_date ON event_mentions(type, date, article_id, line)
        """,
    ),
]

# Where PostgreSQL needs other DDL than SQLite: full-text search is a tsvector column (over the same
# folded text, so it is as insensitive to diacritics, tone placement and case) with a GIN index instead
# of an FTS5 table; the tables keep the column names (``rowid`` included) that the indexing code writes.
POSTGRES_VARIANTS: dict[str, str] = {
    "0003_search_index": """
        DROP TABLE IF EXISTS search_articles;
        DROP TABLE IF EXISTS search_sentences;
        DROP TABLE IF EXISTS search_map;
        CREATE TABLE search_map (
            id BIGSERIAL PRIMARY KEY,
            article_id TEXT NOT NULL UNIQUE,
            published TEXT
        );
        CREATE TABLE search_articles (
            rowid BIGINT PRIMARY KEY,
            title TEXT NOT NULL,
            body TEXT NOT NULL,
            title_exact TEXT NOT NULL,
            body_exact TEXT NOT NULL,
            meta TEXT NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', title), 'A') || to_tsvector('simple', body)
                || to_tsvector('simple', meta)
            ) STORED,
            tsv_exact tsvector GENERATED ALWAYS AS (
                setweight(to_tsvector('simple', title_exact), 'A') || to_tsvector('simple', body_exact)
            ) STORED
        );
        CREATE INDEX search_articles_tsv ON search_articles USING GIN (tsv);
        CREATE TABLE search_sentences (
            rowid BIGINT PRIMARY KEY,
            text TEXT NOT NULL,
            text_exact TEXT NOT NULL,
            tsv tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED,
            tsv_exact tsvector GENERATED ALWAYS AS (to_tsvector('simple', text_exact)) STORED
        );
        CREATE INDEX search_sentences_tsv ON search_sentences USING GIN (tsv);
        CREATE INDEX IF NOT EXISTS articles_outlet ON articles(outlet)
        """,
    "0006_evidence_order": """
        ALTER TABLE event_evidence ADD COLUMN seq BIGSERIAL;
        ALTER TABLE claim_evidence ADD COLUMN seq BIGSERIAL
        """,
    # the search tables are plain tables here (their text feeds the tsvector columns): they keep it
    "0007_lean_store": """
        ALTER TABLE search_map ADD COLUMN meta TEXT NOT NULL DEFAULT '';
        """
    + _LEAN_STORE_REST,
    "0010_search_without_prefix_indexes": "",  # tsvector prefix matching needs no index of its own
}

# The column that holds the order rows were written in, per dialect.
INSERTION_ORDER = {"sqlite": "rowid", "postgresql": "seq"}


def ddl_for(name: str, ddl: str, dialect: str) -> str:
    """The DDL of migration ``name`` for a database dialect (``sqlite`` or ``postgresql``)."""
    if dialect != "postgresql":
        return ddl
    ddl = POSTGRES_VARIANTS.get(name, ddl)
    ddl = ddl.replace(") WITHOUT ROWID", ")")  # a SQLite storage choice; PostgreSQL has no rowid
    # Text compares and sorts by code point, as SQLite's BINARY does, whatever collation the database
    # was created with (en_US would list entities, sources and dates in another order than SQLite)
    ddl = re.sub(r"\bTEXT\b", 'TEXT COLLATE "C"', ddl)
    ddl = re.sub(r"\bBLOB\b", "BYTEA", ddl)
    # SQLite's REAL is 8 bytes; PostgreSQL's is 4 (confidences would come back as 0.8500000238)
    return re.sub(r"\bREAL\b", "DOUBLE PRECISION", ddl)
