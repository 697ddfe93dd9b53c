"""The entity co-occurrence network: which entities are named in the same sentences, and a layout.

The layout is a deterministic force-directed one (Fruchterman–Reingold with weighted attraction),
computed here so that the page is a plain SVG that needs no script to show.
"""

from __future__ import annotations

import math
import random
from collections import Counter
from typing import Any

from dossier.web.schemas import Edge, Network, Node

WIDTH, HEIGHT = 960, 640
_MARGIN = 40


def layout(
    nodes: list[str], edges: dict[tuple[str, str], int], iterations: int = 150
) -> dict[str, tuple[float, float]]:
    """Positions in [margin, size - margin] for each node; the same input gives the same picture."""
    if not nodes:
        return {}
    rng = random.Random(len(nodes) * 7919 + len(edges))
    pos = {n: [rng.uniform(_MARGIN, WIDTH - _MARGIN), rng.uniform(_MARGIN, HEIGHT - _MARGIN)] for n in nodes}
    if len(nodes) == 1:
        return {nodes[0]: (WIDTH / 2, HEIGHT / 2)}
    area = (WIDTH - 2 * _MARGIN) * (HEIGHT - 2 * _MARGIN)
    k = math.sqrt(area / len(nodes))
    top = max(edges.values(), default=1)
    temperature = WIDTH / 8
    for step in range(iterations):
        disp = {n: [0.0, 0.0] for n in nodes}
        for i, a in enumerate(nodes):
            pa = pos[a]
            for b in nodes[i + 1 :]:
                pb = pos[b]
                dx, dy = pa[0] - pb[0], pa[1] - pb[1]
                dist = math.hypot(dx, dy) or 0.01
                force = k * k / dist
                fx, fy = dx / dist * force, dy / dist * force
                disp[a][0] += fx
                disp[a][1] += fy
                disp[b][0] -= fx
                disp[b][1] -= fy
        for (a, b), w in edges.items():
            pa, pb = pos[a], pos[b]
            dx, dy = pa[0] - pb[0], pa[1] - pb[1]
            dist = math.hypot(dx, dy) or 0.01
            force = dist * dist / k * (0.5 + w / top)
            fx, fy = dx / dist * force, dy / dist * force
            disp[a][0] -= fx
            disp[a][1] -= fy
            disp[b][0] += fx
            disp[b][1] += fy
        for n in nodes:
            # a weak pull to the centre keeps unconnected entities on the canvas
            disp[n][0] += (WIDTH / 2 - pos[n][0]) * 0.05
            disp[n][1] += (HEIGHT / 2 - pos[n][1]) * 0.05
            dx, dy = disp[n]
            length = math.hypot(dx, dy) or 0.01
            step_len = min(length, temperature)
            pos[n][0] = min(WIDTH - _MARGIN, max(_MARGIN, pos[n][0] + dx / length * step_len))
            pos[n][1] = min(HEIGHT - _MARGIN, max(_MARGIN, pos[n][1] + dy / length * step_len))
        temperature = max(1.0, temperature * (1 - (step + 1) / iterations))
    return {n: (round(p[0], 1), round(p[1], 1)) for n, p in pos.items()}


def network(
    names: dict[str, dict[str, Any]], pairs: Counter[tuple[str, str]], limit: int = 60, min_weight: int = 1
) -> Network:
    """The ``limit`` most-mentioned entities that share a sentence with another, and the pairs among them
    named together in at least ``min_weight`` sentences."""
    kept_pairs = {p: w for p, w in pairs.items() if w >= min_weight and p[0] in names and p[1] in names}
    connected = {e for p in kept_pairs for e in p}
    ranked = sorted(connected, key=lambda e: (-names[e]["mentions"], names[e]["name"]))[:limit]
    chosen = set(ranked)
    edges = {p: w for p, w in kept_pairs.items() if p[0] in chosen and p[1] in chosen}
    degree: Counter[str] = Counter()
    for a, b in edges:
        degree[a] += 1
        degree[b] += 1
    ordered = sorted(chosen)
    pos = layout(ordered, edges)
    top_mentions = max((names[e]["mentions"] for e in ordered), default=1) or 1
    top_weight = max(edges.values(), default=1)
    nodes = [
        Node(
            id=e,
            name=names[e]["name"],
            type=names[e].get("type"),
            mentions=names[e]["mentions"],
            degree=degree[e],
            x=pos[e][0],
            y=pos[e][1],
            r=round(5 + 15 * math.sqrt(names[e]["mentions"] / top_mentions), 1),
        )
        for e in ordered
    ]
    out_edges = [
        Edge(source=a, target=b, weight=w, width=round(1 + 7 * w / top_weight, 2))
        for (a, b), w in sorted(edges.items(), key=lambda kv: kv[1])
    ]
    return Network(
        nodes=nodes, edges=out_edges, width=WIDTH, height=HEIGHT, min_weight=min_weight, max_weight=top_weight
    )
