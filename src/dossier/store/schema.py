"""The store's schema as named migrations, applied in order and recorded in ``_migrations``.

A migration is never edited once released; a change to the schema is a new migration appended here.
"""

from __future__ import annotations

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
        # Filled by the entity, time, event, quote and claim stages; present (and empty) from the
        # start so that every export and page has one shape.
        """
        CREATE TABLE entities (
            id TEXT PRIMARY KEY,
            type TEXT NOT NULL,
            name TEXT NOT NULL,
            wikidata TEXT,
            aliases TEXT NOT NULL
        );
        CREATE TABLE mentions (
            entity_id TEXT NOT NULL REFERENCES entities(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            start INTEGER NOT NULL,
            "end" INTEGER NOT NULL,
            text TEXT NOT NULL
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
            granularity TEXT NOT NULL,
            basis TEXT NOT NULL
        );
        CREATE INDEX times_article ON times(article_id);
        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            date TEXT,
            date_end TEXT,
            type TEXT NOT NULL,
            summary TEXT NOT NULL,
            participants TEXT NOT NULL,
            place TEXT
        );
        CREATE TABLE event_evidence (
            event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            line INTEGER NOT NULL,
            text TEXT NOT NULL
        );
        CREATE TABLE quotes (
            id TEXT PRIMARY KEY,
            speaker TEXT,
            speaker_text TEXT,
            text TEXT NOT NULL,
            article_id TEXT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
            line INTEGER NOT NULL
        );
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
            text TEXT NOT NULL
        );
        """,
    ),
]
