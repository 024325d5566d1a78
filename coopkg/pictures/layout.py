"""Where the network's regions go: a force-directed layout (Fruchterman and Reingold, 1991).

Linked regions pull together, all regions push apart. The start is drawn from a random generator
with a fixed seed and the nodes come in a fixed order, so that the same graph is laid out the same
way every time. numpy comes with matplotlib, and is imported only here, when a layout is made.

>>> spots = positions(["a", "b", "c"], {("a", "b"): 1.0})
>>> sorted(spots) == ["a", "b", "c"]
True
>>> all(-1.0 <= v <= 1.0 for xy in spots.values() for v in xy)
True
>>> positions(["a", "b", "c"], {("a", "b"): 1.0}) == spots
True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

SEED = 20230620
ITERATIONS = 120


def positions(
    nodes: Sequence[str], weights: dict[tuple[str, str], float], *, seed: int = SEED
) -> dict[str, tuple[float, float]]:
    """Each node's place in [-1, 1]²; ``weights`` gives how strongly two nodes are linked."""
    import numpy as np

    count = len(nodes)
    if count == 0:
        return {}
    if count == 1:
        return {nodes[0]: (0.0, 0.0)}
    index = {node: i for i, node in enumerate(nodes)}
    attraction = np.zeros((count, count))
    for (a, b), weight in weights.items():
        i, j = index[a], index[b]
        if i != j:
            attraction[i, j] += weight
            attraction[j, i] += weight
    place = np.random.default_rng(seed).random((count, 2))
    spacing = math.sqrt(1.0 / count)
    temperature = 0.1
    cooling = temperature / (ITERATIONS + 1)
    for _ in range(ITERATIONS):
        delta = place[:, None, :] - place[None, :, :]
        distance = np.maximum(np.sqrt((delta**2).sum(axis=-1)), 0.01)
        force = spacing**2 / distance**2 - attraction * distance / spacing
        shift = np.einsum("ijk,ij->ik", delta, force)
        length = np.sqrt((shift**2).sum(axis=-1))
        length[length < 0.01] = 0.1
        place += shift * (temperature / length)[:, None]
        temperature -= cooling
    # fill [-1, 1] along each axis
    low, high = place.min(axis=0), place.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    place = (place - low) / span * 2 - 1
    return {node: (float(x), float(y)) for node, (x, y) in zip(nodes, place, strict=True)}
