"""The store: SQLite by default."""
