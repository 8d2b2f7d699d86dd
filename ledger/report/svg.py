"""The attribution graph drawn as inline SVG by the ledger itself: no script, no font, no fetch.

A layered layout: claims in the right-hand column, the nearest sources left of
them, origins furthest left. Each source sits at the height of the claims it
feeds (the mean of its targets), pushed down only as far as needed to avoid
overlap. Links between claims are arcs on the right, coloured by relation.
"""

from __future__ import annotations

import textwrap
from collections import defaultdict
from html import escape as escape_html

from ledger.report.graph import RELATION_COLOURS, Node, build_graph
from ledger.report.model import Report
from ledger.wording import plain


def escape(text: str) -> str:
    """Text for SVG markup: control characters written out, then HTML-escaped."""
    return escape_html(plain(text))


COLUMN_WIDTH = {"claim": 250, "source": 210}
COLUMN_GAP = 64
NODE_GAP = 10
LINE_HEIGHT = 15
PADDING = 8
CHAR_WIDTH = 6.4  # a generous mean width of a 12px sans-serif glyph
ARC_SPACE = 110
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif"


def _lines(node: Node) -> tuple[list[str], list[str]]:
    width = COLUMN_WIDTH["claim" if node.role != "source" else "source"]
    chars = int((width - 2 * PADDING) / CHAR_WIDTH)
    title = textwrap.wrap(node.title, chars) or [""]
    detail = textwrap.wrap(node.detail, int(chars * 1.1)) if node.detail else []
    return title, detail


def render_svg(report: Report) -> str:
    """The graph as an `<svg>` element, sized to its content, safe to inline in HTML."""
    graph = build_graph(report)
    if not graph.nodes:
        return ""
    layer = {node_id: graph.depth.get(node_id, 0) for node_id in graph.nodes}
    depth = max(layer.values())
    targets: dict[str, list[str]] = defaultdict(list)
    for source, target in graph.hops:
        targets[source].append(target)

    x: dict[str, float] = {}
    y: dict[str, float] = {}
    height: dict[str, float] = {}
    left = 0.0
    column_x: dict[int, float] = {}
    for level in range(depth, -1, -1):
        column_x[level] = left
        left += COLUMN_WIDTH["claim" if level == 0 else "source"] + COLUMN_GAP
    for node in graph.nodes.values():
        title, detail = _lines(node)
        height[node.id] = (len(title) + len(detail)) * LINE_HEIGHT + 2 * PADDING
    for level in range(depth + 1):
        members = [node_id for node_id in graph.nodes if layer[node_id] == level]
        wanted: dict[str, float] = {}
        for order, node_id in enumerate(members):
            centres = [y[t] + height[t] / 2 for t in targets[node_id] if t in y]
            wanted[node_id] = (
                sum(centres) / len(centres) - height[node_id] / 2 if centres else order * 1e-6
            )
        bottom = 0.0
        for node_id in sorted(members, key=lambda n: wanted[n]) if level else members:
            y[node_id] = max(wanted[node_id] if level else bottom, bottom)
            x[node_id] = column_x[level]
            bottom = y[node_id] + height[node_id] + NODE_GAP
    width = left - COLUMN_GAP + (ARC_SPACE if graph.links else 0) + 2
    total_height = max(y[n] + height[n] for n in graph.nodes) + 2

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="graph" role="img" '
        f'aria-labelledby="graph-title" viewBox="-1 -1 {width:.0f} {total_height + 34:.0f}" '
        f'width="{width:.0f}" height="{total_height + 34:.0f}" font-family="{escape(FONT)}" '
        f'font-size="12">',
        '<title id="graph-title">Attribution graph: information flows from each origin '
        "through its intermediaries to the claim</title>",
        "<defs>",
        *(
            f'<marker id="arrow-{name}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
            f'markerHeight="7" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" '
            f'fill="{colour}"/></marker>'
            for name, colour in [("hop", "#666666"), *RELATION_COLOURS.items()]
        ),
        "</defs>",
    ]
    for source, target in graph.hops:
        x1, y1 = x[source] + _width(graph.nodes[source]), y[source] + height[source] / 2
        x2, y2 = x[target], y[target] + height[target] / 2
        middle = (x1 + x2) / 2
        out.append(
            f'<path d="M{x1:.1f} {y1:.1f}C{middle:.1f} {y1:.1f} {middle:.1f} {y2:.1f} '
            f'{x2 - 1:.1f} {y2:.1f}" fill="none" stroke="#666666" stroke-width="1.2" '
            f'marker-end="url(#arrow-hop)"/>'
        )
    for index, (source, target, relation) in enumerate(graph.links):
        x1 = x[source] + _width(graph.nodes[source])
        y1, y2 = y[source] + height[source] / 2, y[target] + height[target] / 2
        bulge = x1 + 28 + 14 * (index % 5)
        dash = ' stroke-dasharray="5 3"' if relation == "refines" else ""
        out.append(
            f'<path d="M{x1:.1f} {y1:.1f}C{bulge:.1f} {y1:.1f} {bulge:.1f} {y2:.1f} '
            f'{x1 + 1:.1f} {y2:.1f}" fill="none" stroke="{RELATION_COLOURS[relation]}" '
            f'stroke-width="1.4"{dash} marker-end="url(#arrow-{relation})">'
            f"<title>{escape(relation)}</title></path>"
        )
    for node in graph.nodes.values():
        out.append(_node(node, x[node.id], y[node.id], height[node.id]))
    out.append(_legend(total_height + 12, bool(graph.links)))
    out.append("</svg>")
    return "\n".join(out)


def _width(node: Node) -> int:
    return COLUMN_WIDTH["claim" if node.role != "source" else "source"]


def _node(node: Node, left: float, top: float, height: float) -> str:
    title, detail = _lines(node)
    width = _width(node)
    if node.role == "claim":
        box = f'fill="#ffffff" stroke="{node.colour}" stroke-width="1.6"'
    elif node.role == "foreign":
        box = 'fill="#fafafa" stroke="#9e9e9e" stroke-dasharray="2 2"'
    elif node.unnamed:
        box = 'fill="#fbf3fc" stroke="#8e24aa" stroke-dasharray="5 3" stroke-width="1.3"'
    else:
        box = 'fill="#f5f5f5" stroke="#616161" stroke-width="1.2"'
    parts = [
        f'<g class="node {node.role}">',
        f"<title>{escape(node.tooltip or node.title)}</title>",
        f'<rect x="{left:.1f}" y="{top:.1f}" width="{width}" height="{height:.1f}" rx="6" {box}/>',
    ]
    if node.role == "claim":
        parts.append(
            f'<rect x="{left:.1f}" y="{top:.1f}" width="5" height="{height:.1f}" rx="2" '
            f'fill="{node.colour}"/>'
        )
    baseline = top + PADDING + 11
    weight = ' font-weight="600"' if node.role != "source" else ""
    for line in title:
        parts.append(
            f'<text x="{left + PADDING + 3:.1f}" y="{baseline:.1f}"{weight}>{escape(line)}</text>'
        )
        baseline += LINE_HEIGHT
    colour = node.colour if node.role == "claim" else "#6a1b9a"
    for line in detail:
        parts.append(
            f'<text x="{left + PADDING + 3:.1f}" y="{baseline:.1f}" font-size="11" '
            f'fill="{colour}">{escape(line)}</text>'
        )
        baseline += LINE_HEIGHT
    parts.append("</g>")
    return "".join(parts)


def _legend(top: float, links: bool) -> str:
    items = [("#616161", "", "named source"), ("#8e24aa", ' stroke-dasharray="5 3"', "unnamed")]
    if links:
        items += [
            (colour, ' stroke-dasharray="5 3"' if name == "refines" else "", name)
            for name, colour in RELATION_COLOURS.items()
        ]
    parts, left = ['<g class="legend" font-size="11" fill="#424242">'], 0
    for colour, dash, label in items:
        parts.append(
            f'<line x1="{left}" y1="{top:.1f}" x2="{left + 22}" y2="{top:.1f}" '
            f'stroke="{colour}" stroke-width="2"{dash}/>'
            f'<text x="{left + 28}" y="{top + 4:.1f}">{escape(label)}</text>'
        )
        left += 52 + int(len(label) * 6.6)
    parts.append("</g>")
    return "".join(parts)
