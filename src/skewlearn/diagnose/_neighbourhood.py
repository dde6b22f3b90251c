"""Neighbourhood measures N1, N2, N3, N4, T1 and LSC (Lorena et al., 2019), per-class N1 and
N3, and the overlap number of balls ONB (Pascual-Triana et al., 2021).

All lie in [0, 1] and are higher where the classes are more entangled locally.  Distances are
Euclidean on the encoded data.  Two families, estimated differently on large data:

* N2, N3 and N4 need each row's nearest row of every class.  They are computed for a
  stratified sample of query rows (all rows on small data) against *all* rows, with exact
  neighbours, so they are unbiased estimates whose error shrinks with the sample.
* N1 (a minimum spanning tree), T1, LSC and ONB need all pairwise distances.  They are computed
  exactly on one stratified sample of rows (all rows on small data); the sample is sparser
  than the data, and the error this causes is measured in ``tests/diagnose``.
"""

from __future__ import annotations

import numpy as np
from sklearn.metrics import pairwise_distances
from sklearn.neighbors import NearestNeighbors


def nearest_by_class(
    X: np.ndarray, codes: np.ndarray, queries: np.ndarray, rows: np.ndarray | None = None
) -> np.ndarray:
    """Distance from each query point to its nearest row of every class: shape
    ``(len(queries), n_classes)``.  Where the queries are rows of ``X`` (``rows`` given), a
    row is never its own neighbour."""
    n_classes = codes.max() + 1
    nearest = np.full((len(queries), n_classes), np.inf)
    for code in range(n_classes):
        members = np.flatnonzero(codes == code)
        k = min(2, len(members)) if rows is not None else 1
        distance, found = NearestNeighbors(n_neighbors=k).fit(X[members]).kneighbors(queries)
        if rows is None:
            nearest[:, code] = distance[:, 0]
            continue
        is_self = members[found[:, 0]] == rows
        nearest[:, code] = distance[:, 0]
        if k == 2:
            nearest[is_self, code] = distance[is_self, 1]
        else:
            nearest[is_self, code] = np.inf
    return nearest


def own_and_enemy(nearest: np.ndarray, own: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Distance to the nearest row of the own class and of any other class."""
    picked = np.arange(len(own))
    intra = nearest[picked, own]
    others = nearest.copy()
    others[picked, own] = np.inf
    return intra, others.min(axis=1)


def n2(intra: np.ndarray, enemy: np.ndarray) -> float:
    """Intra over extra class nearest-neighbour distance, ``r / (1 + r)`` with
    ``r = sum(intra) / sum(enemy)``: near 0 for tight far-apart classes, about 0.5 where
    the classes are alike."""
    ratio = intra[np.isfinite(intra)].sum() / max(enemy.sum(), np.finfo(float).tiny)
    return float(ratio / (1.0 + ratio))


def n3_errors(intra: np.ndarray, enemy: np.ndarray) -> np.ndarray:
    """Whether each row's leave-one-out 1-NN is of another class (a tie counts as right)."""
    return enemy < intra


def interpolated(
    X: np.ndarray, codes: np.ndarray, sizes: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """``sizes[c]`` points on segments between two random rows of class ``c``, and their
    classes (as Lorena et al.'s L3 and N4 draw them)."""
    points, labels = [], []
    for code, size in enumerate(sizes):
        members = np.flatnonzero(codes == code)
        if size == 0 or len(members) == 0:
            continue
        a, b = rng.choice(members, size), rng.choice(members, size)
        t = rng.random((size, 1))
        points.append(X[a] + t * (X[b] - X[a]))
        labels.append(np.full(size, code))
    return np.vstack(points), np.concatenate(labels)


def n4(X: np.ndarray, codes: np.ndarray, sizes: np.ndarray, rng: np.random.Generator) -> float:
    """Non-linearity of 1-NN: its error on points interpolated within each class, ``sizes``
    of each class."""
    points, labels = interpolated(X, codes, sizes, rng)
    return float(np.mean(nearest_by_class(X, codes, points).argmin(axis=1) != labels))


def _distances(X: np.ndarray) -> np.ndarray:
    return pairwise_distances(X, n_jobs=None)


def spanning_tree(D: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Edges ``(parents, children)`` of a minimum spanning tree of the complete graph with
    weights ``D``, by Prim's algorithm: O(n^2) time and O(n) memory beyond ``D`` (scipy's
    sparse Kruskal sorts all n^2 edges, several times slower here)."""
    n = len(D)
    in_tree = np.zeros(n, bool)
    in_tree[0] = True
    best = D[0].astype(float)
    parent = np.zeros(n, dtype=np.intp)
    best[0] = np.inf
    children = np.empty(n - 1, dtype=np.intp)
    for step in range(n - 1):
        child = int(np.argmin(best))
        children[step] = child
        in_tree[child] = True
        closer = (D[child] < best) & ~in_tree
        best[closer] = D[child][closer]
        parent[closer] = child
        best[child] = np.inf
    return parent[children], children


def n1_vertices(D: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Whether each vertex of the minimum spanning tree of ``D`` touches an edge joining two
    classes.

    N1 is the share of such vertices: at least ``2 / n`` (the tree is connected, so some
    edge joins two classes) even for far-apart classes, near 1 where classes interleave.
    """
    parents, children = spanning_tree(D)
    crossing = codes[parents] != codes[children]
    touched = np.zeros(len(codes), bool)
    touched[parents[crossing]] = True
    touched[children[crossing]] = True
    return touched


def sphere_radii(D: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Radii of T1's hyperspheres, grown until they touch a sphere of another class (ECoL's
    rule): half the distance to the nearest enemy where the two are each other's nearest
    enemy, otherwise that distance less the enemy's own radius."""
    enemy_d = np.where(codes[:, None] != codes[None, :], D, np.inf)
    nearest = enemy_d.argmin(axis=1)
    gap = enemy_d[np.arange(len(codes)), nearest]
    radius = np.full(len(codes), np.nan)
    for start in range(len(codes)):
        chain, row = [], start
        # Follow nearest enemies until a known radius, a mutual pair or a loop.
        while np.isnan(radius[row]) and row not in chain:
            chain.append(row)
            row = nearest[row]
        if np.isnan(radius[row]):
            radius[row] = gap[row] / 2
            chain = chain[: chain.index(row)]
        for member in reversed(chain):
            radius[member] = max(0.0, gap[member] - radius[nearest[member]])
    return radius


def t1(D: np.ndarray, codes: np.ndarray) -> float:
    """Share of hyperspheres needed to cover the data, over the rows.

    Spheres (radii of :func:`sphere_radii`) are taken largest first; each one taken
    absorbs the rows of its class whose centres lie strictly inside it, which are then not
    taken (the covering of ECoL and problexity).  Near 0 for a few large pure regions,
    1 when every row needs its own sphere.
    """
    radius = sphere_radii(D, codes)
    absorbed = np.zeros(len(codes), bool)
    taken = 0
    for row in np.argsort(-radius, kind="stable"):
        if absorbed[row]:
            continue
        taken += 1
        absorbed |= (D[row] < radius[row]) & (codes == codes[row])
        absorbed[row] = True
    return taken / len(codes)


def lsc(D: np.ndarray, enemy: np.ndarray) -> float:
    """Local-set average cardinality, ``1 - mean_i |LS(i)| / n``, ``LS(i)`` the rows nearer
    to ``i`` than its nearest enemy (``i`` included): near ``1 - 1/n`` when every row's nearest
    neighbour is an enemy, lower for large pure regions.

    ``D`` holds the distances between the rows of a sample and ``enemy`` each sampled row's
    exact nearest-enemy distance in the whole data; the share of the sample inside that
    radius then estimates ``|LS(i)| / n`` without bias (exact when the sample is all rows).
    """
    # The radius comes from another distance routine: a relative margin keeps the enemy
    # itself (and its equals) out of the local set despite rounding.
    return float(1.0 - (D < enemy[:, None] * (1 - 1e-9)).mean())


def ball_cover(D: np.ndarray, enemy: np.ndarray) -> np.ndarray:
    """Centres of a greedy covering of the rows by pure balls (ONB, Pascual-Triana et al.,
    2021): each row's ball reaches, exclusive, its nearest enemy; the ball covering most
    uncovered rows is taken until every row is covered.  Coverage counts are updated by the
    newly covered rows only, so the whole covering costs O(n^2)."""
    covers = D < enemy[:, None] * (1 - 1e-9)
    np.fill_diagonal(covers, True)
    counts = covers.sum(axis=1)
    uncovered = np.ones(len(enemy), bool)
    centres = []
    while uncovered.any():
        centre = int(np.argmax(counts))
        centres.append(centre)
        new = np.flatnonzero(covers[centre] & uncovered)
        uncovered[new] = False
        counts -= covers[:, new].sum(axis=1)
    return np.array(centres, dtype=np.intp)


def pairwise_measures(X: np.ndarray, codes: np.ndarray, enemy: np.ndarray) -> dict:
    """N1, T1, LSC and per-class N1 on all rows of ``X`` (a sample of the data), given the
    rows' nearest-enemy distances in the whole data."""
    D = _distances(X)
    touched = n1_vertices(D, codes)
    centres = codes[ball_cover(D, enemy)]
    present = np.unique(codes)
    per_class = {code: float(touched[codes == code].mean()) for code in present}
    balls = {code: float((centres == code).sum() / (codes == code).sum()) for code in present}
    return {
        "N1": float(touched.mean()),
        "T1": t1(D, codes),
        "LSC": lsc(D, enemy),
        "ONB": float(np.mean(list(balls.values()))),
        "N1_per_class": per_class,
        "ONB_per_class": balls,
    }
