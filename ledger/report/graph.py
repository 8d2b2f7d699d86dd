"""The attribution graph of a report, as nodes and edges, written as Mermaid or Graphviz DOT.

Information flows from each origin, through the intermediaries of its chain,
to the claim as published; links between claims are drawn apart (dashed).
The graph is built once here; `ledger.report.svg` draws the same graph.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import pairwise

from ledger.claimview import HopView
from ledger.report.model import Report
from ledger.vocab import ClaimKind, Status
from ledger.wording import plain, verdict_words

STATUS_COLOURS = {
    Status.CORROBORATED: "#2e7d32",
    Status.SINGLE_SOURCE: "#b26a00",
    Status.UNATTRIBUTED: "#c62828",
}
OPINION_COLOUR = "#1565c0"
RELATION_COLOURS = {"corroborates": "#2e7d32", "contradicts": "#c62828", "refines": "#757575"}


@dataclass(frozen=True, slots=True)
class Node:
    """A source, a claim of the report, or a claim of another article that a link reaches."""

    id: str
    role: str  # "source" | "claim" | "foreign"
    title: str  # key of a claim, label of a source
    detail: str = ""  # status and flags of a claim; anonymity of an unnamed source
    tooltip: str = ""  # claim text, source description
    colour: str = "#555555"
    unnamed: bool = False


@dataclass
class Graph:
    nodes: dict[str, Node] = field(default_factory=dict)  # by id, in insertion order
    hops: list[tuple[str, str]] = field(default_factory=list)  # (from id, to id), deduplicated
    links: list[tuple[str, str, str]] = field(default_factory=list)  # (from, to, relation)
    depth: dict[str, int] = field(default_factory=dict)  # 0 for claims; a source's furthest hop


def build_graph(report: Report) -> Graph:
    """Nodes for claims (report order), sources (first use), foreign claims; then the edges."""
    graph = Graph()
    claim_ids: dict[str, str] = {}
    source_ids: dict[tuple[str, ...], str] = {}
    multi = report.ledger_wide
    for index, view in enumerate(report.claims):
        node_id = claim_ids[view.ref] = f"c{index}"
        colour = (
            OPINION_COLOUR
            if view.kind is ClaimKind.OPINION
            else STATUS_COLOURS[view.verdict.status]
        )
        graph.nodes[node_id] = Node(
            node_id,
            "claim",
            view.ref if multi else view.key,
            " · ".join(verdict_words(view.kind, view.verdict)),
            view.text,
            colour,
        )
    seen_hops: set[tuple[str, str]] = set()
    for view in report.claims:
        for chain in view.chains:
            targets = [claim_ids[view.ref]]
            for position, hop in enumerate(chain):
                # A source is drawn once per way it is reached (the rest of the chain, up to
                # the origin): "AP citing the official" and "AP citing Abu Musafer" are two
                # boxes, so the reader sees which root feeds which claim.
                suffix = tuple(item.key for item in chain[position:])
                if suffix not in source_ids:
                    source_ids[suffix] = f"s{len(source_ids)}"
                    graph.nodes[source_ids[suffix]] = _source_node(report, source_ids[suffix], hop)
                node_id = source_ids[suffix]
                graph.depth[node_id] = max(graph.depth.get(node_id, 0), position + 1)
                targets.append(node_id)
            for nearer, further in pairwise(targets):
                edge = (further, nearer)
                if edge not in seen_hops:
                    seen_hops.add(edge)
                    graph.hops.append(edge)
    for view in report.claims:
        for link in view.links_out:
            if link.other not in claim_ids:
                node_id = claim_ids[link.other] = f"x{len(claim_ids) - len(report.claims)}"
                graph.nodes[node_id] = Node(node_id, "foreign", link.other, "another article")
            graph.links.append((claim_ids[view.ref], claim_ids[link.other], link.relation.value))
        for link in view.links_in:
            if link.other not in claim_ids:
                node_id = claim_ids[link.other] = f"x{len(claim_ids) - len(report.claims)}"
                graph.nodes[node_id] = Node(node_id, "foreign", link.other, "another article")
                graph.links.append((node_id, claim_ids[view.ref], link.relation.value))
    return graph


def _source_node(report: Report, node_id: str, hop: HopView) -> Node:
    unnamed = hop.facts().unnamed
    reason = hop.anonymity_reason or "no reason stated"
    detail = f"{hop.anonymity.value}: {reason}" if unnamed else ""
    source = report.source(hop.key)
    tooltip = (source.description or "") if source else ""
    return Node(node_id, "source", hop.label, detail, tooltip, unnamed=unnamed)


# --- Mermaid -----------------------------------------------------------------------------------

_MERMAID_ESCAPES = {
    "&": "#amp;",
    '"': "#quot;",
    "<": "#lt;",
    ">": "#gt;",
    "`": "#96;",
    "#": "#35;",
}


def _mermaid_text(text: str) -> str:
    """A label inside `"…"`: on one line, control characters written out, Mermaid's
    specials as entities (a backtick could otherwise end the Markdown fence)."""
    return "".join(_MERMAID_ESCAPES.get(char, char) for char in plain(" ".join(text.split())))


def render_mermaid(report: Report) -> str:
    """A Mermaid flowchart, as GitHub and most Markdown viewers draw it."""
    graph = build_graph(report)
    lines = ["flowchart LR"]
    for node in graph.nodes.values():
        label = _mermaid_text(node.title)
        if node.detail:
            label += "<br/>" + _mermaid_text(node.detail)
        shape = ('(["', '"])') if node.role == "source" else ('["', '"]')
        lines.append(f"  {node.id}{shape[0]}{label}{shape[1]}")
    lines.extend(f"  {source} --> {target}" for source, target in graph.hops)
    lines.extend(
        f"  {source} -. {relation} .-> {target}" for source, target, relation in graph.links
    )
    lines.append("  classDef unnamed stroke-dasharray: 5 5")
    lines.append("  classDef foreign stroke-dasharray: 2 2")
    for colour, names in _by_colour(graph).items():
        lines.append(f"  classDef {names[0]} stroke:{colour},stroke-width:2px")
        lines.append(f"  class {','.join(names[1])} {names[0]}")
    unnamed = [node.id for node in graph.nodes.values() if node.unnamed]
    if unnamed:
        lines.append(f"  class {','.join(unnamed)} unnamed")
    foreign = [node.id for node in graph.nodes.values() if node.role == "foreign"]
    if foreign:
        lines.append(f"  class {','.join(foreign)} foreign")
    return "\n".join(lines) + "\n"


def _by_colour(graph: Graph) -> dict[str, tuple[str, list[str]]]:
    """Claims grouped by the colour of their status, with a class name for each colour."""
    names = {
        STATUS_COLOURS[Status.CORROBORATED]: "corroborated",
        STATUS_COLOURS[Status.SINGLE_SOURCE]: "singlesource",
        STATUS_COLOURS[Status.UNATTRIBUTED]: "unattributed",
        OPINION_COLOUR: "opinion",
    }
    grouped: dict[str, tuple[str, list[str]]] = {}
    for node in graph.nodes.values():
        if node.role == "claim":
            grouped.setdefault(node.colour, (names[node.colour], []))[1].append(node.id)
    return grouped


# --- Graphviz DOT ------------------------------------------------------------------------------


def _dot_text(text: str) -> str:
    """A quoted DOT string: backslashes, quotes and line breaks escaped, control characters
    written out."""
    escaped = plain(text).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + escaped.replace("\n", "\\n").replace("\t", " ") + '"'


def render_dot(report: Report) -> str:
    """A Graphviz digraph: `dot -Tsvg report.dot > graph.svg`."""
    graph = build_graph(report)
    lines = [
        f"digraph attribution {{  // {plain(' '.join(report.title.split()))}",
        "  rankdir=LR;",
        '  node [shape=box, style="rounded", fontname="Helvetica", fontsize=11];',
        '  edge [color="#555555"];',
    ]
    for node in graph.nodes.values():
        label = node.title + (f"\n{node.detail}" if node.detail else "")
        attributes = [f"label={_dot_text(label)}"]
        if node.role == "claim":
            attributes += [f'color="{node.colour}"', 'style="rounded,bold"']
        elif node.unnamed:
            attributes.append('style="rounded,dashed"')
        elif node.role == "foreign":
            attributes.append('style="rounded,dotted"')
        if node.tooltip:
            attributes.append(f"tooltip={_dot_text(node.tooltip)}")
        lines.append(f"  {node.id} [{', '.join(attributes)}];")
    lines.extend(f"  {source} -> {target};" for source, target in graph.hops)
    lines.extend(
        f'  {source} -> {target} [style=dashed, color="{RELATION_COLOURS[relation]}", '
        f"label={_dot_text(relation)}];"
        for source, target, relation in graph.links
    )
    lines.append("}")
    return "\n".join(lines) + "\n"
