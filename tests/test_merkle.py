"""RFC 6962 trees: published test vectors, and properties of proofs over random logs.

The vectors are the reference implementation's: github.com/transparency-dev/merkle,
its `testonly` constants (leaves, node and root hashes) and every inclusion and
consistency probe of its `testdata` directory, gathered in
tests/data/vectors/rfc6962_proofs.json with the commit they come from.
"""

from __future__ import annotations

import base64
import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ledger.audit import merkle

VECTORS = json.loads(
    (Path(__file__).parent / "data" / "vectors" / "rfc6962_proofs.json").read_text()
)

# transparency-dev/merkle testonly/constants.go: LeafInputs, NodeHashes, RootHashes.
LEAF_INPUTS = ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
               "606162636465666768696a6b6c6d6e6f"]  # fmt: skip
NODE_HASHES = [
    [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
        "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
        "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
        "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
        "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
        "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
    ],
    [
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
        "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
        "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
    ],
    [
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
    ],
    ["5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328"],
]
ROOT_HASHES = [
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]


def b64(value: str | None) -> bytes:
    return base64.b64decode(value or "")


def test_the_reference_tree_grows_node_by_node_and_root_by_root():
    tree = merkle.CompactRange()
    stored: dict[tuple[int, int], bytes] = {}
    for size, data in enumerate(LEAF_INPUTS, start=1):
        for level, idx, value in tree.append(merkle.leaf_hash(bytes.fromhex(data))):
            stored[(level, idx)] = value
        assert tree.root().hex() == ROOT_HASHES[size]
    assert merkle.CompactRange().root().hex() == ROOT_HASHES[0]
    expected = {
        (level, idx): bytes.fromhex(value)
        for level, values in enumerate(NODE_HASHES)
        for idx, value in enumerate(values)
    }
    assert stored == expected


@pytest.mark.parametrize("probe", VECTORS["inclusion"], ids=lambda probe: probe["file"][9:])
def test_inclusion_vectors(probe):
    ok = merkle.verify_inclusion(
        probe["leafIdx"],
        probe["treeSize"],
        b64(probe["leafHash"]),
        [b64(value) for value in probe["proof"] or []],
        b64(probe["root"]),
    )
    assert ok is not probe["wantErr"]


@pytest.mark.parametrize("probe", VECTORS["consistency"], ids=lambda probe: probe["file"][9:])
def test_consistency_vectors(probe):
    ok = merkle.verify_consistency(
        probe["size1"],
        probe["size2"],
        b64(probe["root1"]),
        b64(probe["root2"]),
        [b64(value) for value in probe["proof"] or []],
    )
    assert ok is not probe["wantErr"]


def test_the_vectors_are_all_there():
    assert len(VECTORS["inclusion"]) > 90 and len(VECTORS["consistency"]) > 90
    assert sum(not probe["wantErr"] for probe in VECTORS["consistency"]) >= 6


# --- properties over random logs ----------------------------------------------------------------


def build(leaves: list[bytes]) -> tuple[dict[tuple[int, int], bytes], list[bytes]]:
    """Every stored node of the log, and its root at each size (index = size)."""
    tree, nodes, roots = merkle.CompactRange(), {}, [merkle.EMPTY_ROOT]
    for leaf in leaves:
        nodes.update(((level, idx), value) for level, idx, value in tree.append(leaf))
        roots.append(tree.root())
    return nodes, roots


def reference_root(leaves: list[bytes]) -> bytes:
    """RFC 6962's MTH, written as the RFC writes it."""
    if not leaves:
        return hashlib.sha256(b"").digest()
    if len(leaves) == 1:
        return leaves[0]
    k = 1
    while k * 2 < len(leaves):
        k *= 2
    return merkle.node_hash(reference_root(leaves[:k]), reference_root(leaves[k:]))


logs = st.lists(
    st.binary(min_size=1, max_size=8).map(merkle.leaf_hash), min_size=1, max_size=70, unique=True
)


@settings(max_examples=200, deadline=None)
@given(leaves=logs, data=st.data())
def test_a_consistency_proof_between_any_two_sizes_verifies_and_any_altered_leaf_breaks_it(
    leaves, data
):
    nodes, roots = build(leaves)
    new = data.draw(st.integers(1, len(leaves)), label="new size")
    old = data.draw(st.integers(1, new), label="old size")
    assert roots[new] == reference_root(leaves[:new])

    def prove(store: dict) -> list[bytes]:
        return merkle.range_hashes(
            merkle.consistency_ranges(old, new), lambda wanted: {n: store[n] for n in wanted}
        )

    proof = prove(nodes)
    assert merkle.verify_consistency(old, new, roots[old], roots[new], proof)

    altered = data.draw(st.integers(0, new - 1), label="altered leaf")
    forged = list(leaves)
    forged[altered] = merkle.leaf_hash(b"forged" + forged[altered])
    forged_nodes, forged_roots = build(forged)
    # a log whose first `old` leaves differ proves nothing about the checkpointed one
    extends = merkle.verify_consistency(
        old, new, roots[old], forged_roots[new], prove(forged_nodes)
    )
    assert extends is (altered >= old)
    # and the honest proof does not link the two either
    assert not merkle.verify_consistency(old, new, roots[old], forged_roots[new], proof)
    if proof:
        index = data.draw(st.integers(0, len(proof) - 1), label="altered proof hash")
        bad = [*proof[:index], merkle.leaf_hash(proof[index]), *proof[index + 1 :]]
        assert not merkle.verify_consistency(old, new, roots[old], roots[new], bad)


@settings(max_examples=200, deadline=None)
@given(leaves=logs, data=st.data())
def test_an_inclusion_proof_verifies_for_its_leaf_only(leaves, data):
    nodes, roots = build(leaves)
    size = data.draw(st.integers(1, len(leaves)), label="size")
    index = data.draw(st.integers(0, size - 1), label="leaf")
    proof = merkle.range_hashes(
        merkle.inclusion_ranges(index, size), lambda wanted: {n: nodes[n] for n in wanted}
    )
    assert merkle.verify_inclusion(index, size, leaves[index], proof, roots[size])
    wrong = merkle.leaf_hash(b"x")
    if wrong not in leaves[:size]:  # a log may hold that very leaf: then it is not wrong
        assert not merkle.verify_inclusion(index, size, wrong, proof, roots[size])
    if size > 1 and len(set(leaves[:size])) == size:  # with equal leaves, positions can swap
        other = (index + 1) % size
        assert not merkle.verify_inclusion(other, size, leaves[index], proof, roots[size])


@settings(max_examples=100, deadline=None)
@given(leaves=logs, data=st.data())
def test_ranges_hashed_apart_join_into_the_whole(leaves, data):
    cut = data.draw(st.integers(0, len(leaves)), label="cut")
    left, right = merkle.CompactRange(), merkle.CompactRange(cut)
    for leaf in leaves[:cut]:
        left.add(leaf)
    for leaf in leaves[cut:]:
        right.add(leaf)
    left.extend(right)
    assert left.root() == reference_root(leaves)


def test_a_proof_reads_logarithmically_many_nodes():
    size = 1_000_003
    for index in (0, 524_287, size - 1):
        nodes = {n for r in merkle.inclusion_ranges(index, size) for n in merkle.decompose(*r)}
        assert len(nodes) <= 2 * size.bit_length()
    nodes = {n for r in merkle.consistency_ranges(777_777, size) for n in merkle.decompose(*r)}
    assert len(nodes) <= 2 * size.bit_length()
