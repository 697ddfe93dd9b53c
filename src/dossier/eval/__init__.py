"""Scoring a store against gold answer files: ``evaluate`` computes, ``render_*`` present."""

from dossier.eval.gold import Gold, load_gold
from dossier.eval.report import render_json, render_text
from dossier.eval.score import evaluate

__all__ = ["Gold", "evaluate", "load_gold", "render_json", "render_text"]
