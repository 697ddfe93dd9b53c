"""The knowledge base: real-world entities with their Vietnamese and English names, as data files."""

from dossier.kb.loader import TYPES, KBEntity, KnowledgeBase, Role, data_dir, load_kb

__all__ = ["TYPES", "KBEntity", "KnowledgeBase", "Role", "data_dir", "load_kb"]
