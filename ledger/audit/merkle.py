"""RFC 6962 Merkle trees: hashes, compact ranges, and inclusion and consistency proofs.

Pure functions over bytes, with no database: `ledger.audit.tree` keeps the
tree's nodes in the ledger, `verify` rebuilds it from the events, and the
proof checkers here are the ones a reader runs on a report's proof.

The tree over n leaves is RFC 6962's: a leaf's hash is SHA-256(0x00 ‖ leaf),
an interior node's SHA-256(0x01 ‖ left ‖ right), and the tree splits at the
largest power of two smaller than n. Its nodes are named (level, index): the
node at level l, index i covers leaves [i·2^l, (i+1)·2^l). Only such perfect
subtrees are ever stored; every other hash (a root, the right edge of a
proof) folds a few of them, so a proof reads O(log n) nodes.

Proof verification follows RFC 9162 sections 2.1.3.2 and 2.1.4.2.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence

EMPTY_ROOT = hashlib.sha256(b"").digest()
HASH_SIZE = 32
Node = tuple[int, int]
"""(level, index) of a perfect subtree."""


def leaf_hash(data: bytes) -> bytes:
    return hashlib.sha256(b"\x00" + data).digest()


def node_hash(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def fold(hashes: Sequence[bytes]) -> bytes:
    """The hash of adjacent perfect subtrees, largest first, as RFC 6962 splits them."""
    if not hashes:
        return EMPTY_ROOT
    result = hashes[-1]
    for left in reversed(hashes[:-1]):
        result = node_hash(left, result)
    return result


def decompose(begin: int, end: int) -> list[Node]:
    """The perfect subtrees covering leaves [begin, end), left to right, each as large as fits."""
    nodes = []
    while begin < end:
        level = (begin & -begin).bit_length() - 1 if begin else (end - begin).bit_length() - 1
        while 1 << level > end - begin:
            level -= 1
        nodes.append((level, begin >> level))
        begin += 1 << level
    return nodes


def _split(size: int) -> int:
    """The largest power of two smaller than `size` (size > 1)."""
    return 1 << ((size - 1).bit_length() - 1)


def inclusion_ranges(index: int, size: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form RFC 6962's audit path for leaf `index`, bottom up."""
    if not 0 <= index < size:
        raise ValueError(f"leaf {index} is not in a tree of {size}")
    ranges: list[tuple[int, int]] = []
    begin, end = 0, size
    while end - begin > 1:
        middle = begin + _split(end - begin)
        if index < middle:
            ranges.append((middle, end))
            end = middle
        else:
            ranges.append((begin, middle))
            begin = middle
    return ranges[::-1]


def consistency_ranges(old: int, new: int) -> list[tuple[int, int]]:
    """The leaf ranges whose hashes form RFC 6962's consistency proof from size `old` to `new`."""
    if not 0 <= old <= new:
        raise ValueError(f"no consistency proof from {old} to {new}")
    if old in (0, new):
        return []
    ranges: list[tuple[int, int]] = []
    begin, end, complete = 0, new, True
    while end - begin != old:
        middle = _split(end - begin)
        if old <= middle:
            ranges.append((begin + middle, end))
            end = begin + middle
        else:
            ranges.append((begin, begin + middle))
            begin, old, complete = begin + middle, old - middle, False
    if not complete:
        ranges.append((begin, end))
    return ranges[::-1]


def range_hashes(
    ranges: Sequence[tuple[int, int]], nodes: Callable[[Iterable[Node]], dict[Node, bytes]]
) -> list[bytes]:
    """The hash of each range, from the perfect subtrees `nodes` returns (one call, for all)."""
    parts = [decompose(begin, end) for begin, end in ranges]
    found = nodes({node for part in parts for node in part})
    return [fold([found[node] for node in part]) for part in parts]


class CompactRange:
    """The perfect subtrees covering leaves [begin, end): how a tree grows one leaf at a time.

    Appending returns the nodes the new leaf completes (the leaf itself first),
    which is what the ledger stores. Two adjacent ranges join with `extend`,
    so parts of a log hashed apart combine into the tree of the whole.
    """

    __slots__ = ("begin", "end", "nodes")

    def __init__(self, begin: int = 0, nodes: Sequence[tuple[int, bytes]] = ()) -> None:
        self.begin = begin
        self.end = begin + sum(1 << level for level, _ in nodes)
        self.nodes: list[tuple[int, bytes]] = list(nodes)

    def append(self, leaf: bytes) -> list[tuple[int, int, bytes]]:
        """Add a leaf hash; returns the completed (level, index, hash) nodes, the leaf first."""
        completed: list[tuple[int, int, bytes]] = []
        self._push(0, leaf, completed)
        return completed

    def add(self, leaf: bytes) -> None:
        """Add a leaf hash, keeping no record of the nodes it completes (for rebuilding roots)."""
        self._push(0, leaf, None)

    def extend(self, other: CompactRange) -> None:
        if other.begin != self.end:
            raise ValueError(f"range [{other.begin}, …) does not follow [{self.begin}, {self.end})")
        for level, value in other.nodes:
            self._push(level, value, None)

    def _push(self, level: int, value: bytes, completed: list | None) -> None:
        position = self.end
        self.end += 1 << level
        if completed is not None:
            completed.append((level, position >> level, value))
        nodes = self.nodes
        while nodes and nodes[-1][0] == level and (position >> level) & 1:
            value = node_hash(nodes.pop()[1], value)
            position -= 1 << level
            level += 1
            if completed is not None:
                completed.append((level, position >> level, value))
        nodes.append((level, value))

    def root(self) -> bytes:
        """The RFC 6962 root of leaves [0, end); only a range from the first leaf has one."""
        if self.begin != 0:
            raise ValueError("only a range from leaf 0 has a root")
        return fold([value for _, value in self.nodes])

    def copy(self) -> CompactRange:
        return CompactRange(self.begin, self.nodes)


def verify_inclusion(
    index: int, size: int, leaf: bytes, proof: Sequence[bytes], root: bytes
) -> bool:
    """RFC 9162 2.1.3.2: does `proof` show the leaf hash `leaf` at `index` in the tree `root`?"""
    if not 0 <= index < size or len(leaf) != HASH_SIZE:
        return False
    fn, sn, result = index, size - 1, leaf
    for sibling in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            result = node_hash(sibling, result)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            result = node_hash(result, sibling)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and result == root


def verify_consistency(
    old_size: int, new_size: int, old_root: bytes, new_root: bytes, proof: Sequence[bytes]
) -> bool:
    """RFC 9162 2.1.4.2: does `proof` show the tree `new_root` extends the tree `old_root`?

    As the reference implementation (transparency-dev/merkle) does, a proof
    from the empty tree is refused as meaningless: callers decide that case.
    """
    if not 0 < old_size <= new_size:
        return False
    if old_size == new_size:
        return not proof and old_root == new_root
    if not proof:
        return False
    path = list(proof)
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is a node of the new tree
        path.insert(0, old_root)
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn, sn = fn >> 1, sn >> 1
    first = second = path[0]
    for value in path[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            first, second = node_hash(value, first), node_hash(value, second)
            while not fn & 1 and fn != 0:
                fn, sn = fn >> 1, sn >> 1
        else:
            second = node_hash(second, value)
        fn, sn = fn >> 1, sn >> 1
    return sn == 0 and first == old_root and second == new_root
