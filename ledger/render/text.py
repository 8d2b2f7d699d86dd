"""Rich renderings for the terminal. Colour marks status; NO_COLOR is honoured by Rich.

Every value that came from a user or a file reaches a `Text` through `plain`
(`plain_text`): `Text` would silently drop a carriage return or a bell, and the
reader must see that they are there. Strings given as table cells are made
plain by the console itself (`ledger.render.terminal`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.console import Console, Group
from rich.table import Table
from rich.text import Text

from ledger.render.terminal import plain, plain_offsets, plain_text
from ledger.text import anchoring
from ledger.vocab import ClaimKind, Status
from ledger.wording import describe_chain, describe_parties, flag_names, plural
from ledger.wording import plain as plain_keeping_tabs

if TYPE_CHECKING:  # annotations only: `ledger claims` on SQLite renders without SQLAlchemy
    from ledger.claimview import ArticleView as Article
    from ledger.claimview import ClaimView
    from ledger.read.details import SourceDetail
    from ledger.read.scoped import ArticleSummary
    from ledger.read.sources import SourceSummary

STATUS_STYLES = {
    Status.CORROBORATED: "green",
    Status.SINGLE_SOURCE: "yellow",
    Status.UNATTRIBUTED: "red",
}
FLAG_STYLES = {
    "uncorroborated": "bold red",
    "anonymous only": "magenta",
    "contradicted": "bold red",
    "single intermediary": "yellow",
    "borrowed anonymity": "cyan",
}


def status_text(view: ClaimView) -> Text:
    style = "blue" if view.kind is ClaimKind.OPINION else STATUS_STYLES[view.verdict.status]
    return Text(view.verdict.status.value, style=style)


def flags_text(view: ClaimView) -> Text:
    text = Text()
    for index, name in enumerate(flag_names(view.verdict)):
        if index:
            text.append(", ")
        text.append(name, style=FLAG_STYLES[name])
    return text


def chains_text(view: ClaimView) -> str:
    if not view.chains:
        return "(unattributed: the article's own voice)"
    return "\n".join(describe_chain(chain) for chain in view.chains)


def claims_table(views: Sequence[ClaimView], *, title: str | None = None) -> Table:
    """Three columns that stay readable at 80 characters: claim, verdict, text with chains."""
    table = Table(title=title, show_lines=True, expand=True)
    multi_article = len({view.article for view in views}) > 1
    table.add_column("claim", style="bold", no_wrap=True, max_width=36)
    table.add_column("status · flags", min_width=16, max_width=24)
    table.add_column("text · chains", ratio=1)
    for view in views:
        verdict = status_text(view)
        if view.kind is ClaimKind.OPINION:
            verdict = Text.assemble(("opinion", "blue"), " · ", verdict)
        for name in flag_names(view.verdict):
            verdict.append("\n")
            verdict.append(name, style=FLAG_STYLES[name])
        body = plain_text(view.text)
        body.append("\n")
        body.append(plain(chains_text(view)), style="dim")
        table.add_row(view.ref if multi_article else view.key, verdict, body)
    return table


@dataclass
class Tally:
    """The counts of `summary_line`, kept as claims stream past instead of held in a list."""

    claims: int = 0
    facts: int = 0
    corroborated: int = 0
    uncorroborated: int = 0
    anonymous_only: int = 0
    contradicted: int = 0
    unattributed_facts: int = 0

    def add(self, view: ClaimView) -> None:
        verdict = view.verdict
        fact = view.kind is ClaimKind.FACT
        self.claims += 1
        self.facts += fact
        self.corroborated += verdict.status is Status.CORROBORATED
        self.uncorroborated += verdict.uncorroborated
        self.anonymous_only += verdict.anonymous_only
        self.contradicted += verdict.contradicted
        self.unattributed_facts += fact and verdict.status is Status.UNATTRIBUTED

    @classmethod
    def of(cls, views: Iterable[ClaimView]) -> Tally:
        tally = cls()
        for view in views:
            tally.add(view)
        return tally


def summary_line(views: Sequence[ClaimView] | Tally) -> Text:
    """`20 claims: 18 facts, 2 opinion; 3 corroborated; 15 uncorroborated facts; …`."""
    tally = views if isinstance(views, Tally) else Tally.of(views)
    text = Text()
    text.append(plural(tally.claims, "claim"), style="bold")
    text.append(f" ({plural(tally.facts, 'fact')}, {tally.claims - tally.facts} opinion): ")
    parts = [
        (tally.corroborated, "corroborated", "green"),
        (tally.uncorroborated, "uncorroborated fact", "bold red"),
        (tally.anonymous_only, "on unnamed sources only", "magenta"),
        (tally.contradicted, "contradicted", "bold red"),
        (tally.unattributed_facts, "unattributed fact", "red"),
    ]
    for index, (count, label, style) in enumerate(parts):
        if index:
            text.append(", ")
        words = plural(count, label) if label.endswith("fact") else f"{count} {label}"
        text.append(words, style=style if count else None)
    return text


def claim_detail(view: ClaimView) -> Group:
    lines: list[Text | Table] = []
    header = Text()
    header.append(view.ref, style="bold")
    header.append("  ")
    header.append_text(status_text(view))
    if flag_names(view.verdict):
        header.append("  ")
        header.append_text(flags_text(view))
    lines.append(header)
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    table.add_row("text", view.text)
    table.add_row("kind", view.kind.value)
    if view.quote:
        table.add_row("quote", f"“{view.quote}”")
    if view.cue:
        table.add_row("cue", view.cue)
    for number, chain in enumerate(view.chains, start=1):
        table.add_row(f"chain {number}", describe_chain(chain))
    if not view.chains:
        table.add_row("chains", "none: the publication asserts it in its own voice")
    table.add_row("origins", ", ".join(view.verdict.origins) or "—")
    table.add_row("independent", ", ".join(view.verdict.independent_origins) or "—")
    if view.chains:
        table.add_row("parties", plain_text(describe_parties(view.chains)))
    for link in view.links_out:
        table.add_row("link", f"{link.relation.value} {link.other}")
    for link in view.links_in:
        table.add_row("linked", f"{link.other} {link.relation.value} this claim")
    lines.append(table)
    return Group(*lines)


def articles_table(summaries: Sequence[ArticleSummary]) -> Table:
    table = Table()
    for name in ("slug", "title", "outlet", "published", "claims"):
        table.add_column(name, justify="right" if name == "claims" else "left")
    for summary in summaries:
        article = summary.article
        table.add_row(
            article.slug,
            article.title,
            article.outlet or "",
            article.published.isoformat() if article.published else "",
            str(summary.claims),
        )
    return table


def sources_table(summaries: Sequence[SourceSummary]) -> Table:
    table = Table()
    for name in ("key", "label", "kind", "anonymity", "reason", "originates", "relays"):
        table.add_column(name, justify="right" if name in ("originates", "relays") else "left")
    for summary in summaries:
        source = summary.source
        anonymity_style = None if source.anonymity.value == "named" else "magenta"
        table.add_row(
            source.key,
            source.label,
            source.kind.value,
            Text(source.anonymity.value, style=anonymity_style),
            source.anonymity_reason or "",
            str(summary.originates),
            str(summary.relays),
        )
    return table


def source_detail(detail: SourceDetail) -> Table:
    """A source's fields, its party and who speaks for it, its aliases and its counts."""
    source = detail.source
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    for name, value in source.model_dump(mode="json", exclude={"aliases", "speaks_for"}).items():
        if value is not None:
            table.add_row(name.replace("_", " "), plain_text(value))
    if source.speaks_for:
        table.add_row("speaks for", plain_text(source.speaks_for))
    if detail.party is not None:
        table.add_row(
            "party",
            plain_text(f"{detail.party.key} ({detail.party.label}): its words count as theirs"),
        )
    if detail.speakers:
        speakers = ", ".join(f"{item.key} ({item.label})" for item in detail.speakers)
        table.add_row("spoken for by", plain_text(speakers))
    if source.aliases:
        table.add_row("aliases", plain_text(", ".join(source.aliases)))
    table.add_row("originates", str(detail.summary.originates))
    table.add_row("relays", str(detail.summary.relays))
    for item in detail.duplicates:
        other = item.keep if item.duplicate == source.key else item.duplicate
        table.add_row(
            "probable duplicate",
            plain_text(f"{other}: {item.why} (ledger source merge {item.duplicate} {item.keep})"),
        )
    return table


def article_header(article: Article) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(style="dim")
    table.add_column()
    table.add_row("article", plain_text(article.title, style="bold"))
    for name in ("slug", "outlet", "published", "byline", "url"):
        value = getattr(article, name)
        if value:
            table.add_row(name, str(value))
    if article.text_sha256:
        table.add_row("text sha256", article.text_sha256)
    return table


def annotated_text(
    text: str,
    views: Sequence[ClaimView],
    anchors: dict[str, anchoring.Span] | None = None,
    *,
    unclaimed: bool = False,
) -> tuple[Text, list[ClaimView]]:
    """The article text with each found quote underlined and numbered `[n]` at its start.

    `anchors` are the stored positions of quotes (found again when absent).
    With `unclaimed`, sentences that no quote touches are highlighted, to show
    what is left to enter. Returns the text and the claims whose quote was not
    found (listed apart so that nothing is silently dropped).
    """
    marks: list[tuple[int, int, int, ClaimView]] = []
    missing = []
    for number, view in enumerate(views, start=1):
        span = (anchors or {}).get(view.key)
        if span is None and view.quote:
            span = anchoring.find(view.quote, text)
        if span is None:
            if view.quote:
                missing.append(view)
            continue
        marks.append((span.start, span.end, number, view))
    # Positions are found in the stored text, then moved to where they land once its
    # control characters are written out.
    shift = plain_offsets(text)
    rich_text = Text(plain_keeping_tabs(text))  # not in a table: Rich expands its tabs whole
    if unclaimed:
        for sentence in uncovered_sentences(text, [(start, end) for start, end, *_ in marks]):
            rich_text.stylize("reverse yellow", shift(sentence.start), shift(sentence.end))
    marks = [(shift(start), shift(end), number, view) for start, end, number, view in marks]
    for start, end, _number, view in marks:
        rich_text.stylize(f"underline {STATUS_STYLES[view.verdict.status]}", start, end)
    starts = sorted({start for start, *_ in marks})
    pieces = rich_text.divide(starts) if starts else [rich_text]
    result = Text()
    offsets = [0, *starts]
    for offset, piece in zip(offsets, pieces, strict=True):
        for start, _end, number, view in sorted(marks, key=lambda mark: mark[2]):
            if start == offset and piece.plain:
                style = (
                    "blue" if view.kind is ClaimKind.OPINION else STATUS_STYLES[view.verdict.status]
                )
                result.append(f"[{number}]", style=f"bold reverse {style}")
        result.append_text(piece)
    return result, missing


def uncovered_sentences(text: str, covered: Sequence[tuple[int, int]]) -> list[anchoring.Span]:
    """Sentences that no quote overlaps."""
    return [
        sentence
        for sentence in anchoring.sentence_spans(text)
        if not any(start < sentence.end and sentence.start < end for start, end in covered)
    ]


def legend_table(views: Sequence[ClaimView]) -> Table:
    table = Table(box=None, show_header=True, padding=(0, 1))
    table.add_column("#", justify="right")
    table.add_column("claim", style="bold")
    table.add_column("status")
    table.add_column("chain")
    for number, view in enumerate(views, start=1):
        table.add_row(
            Text(str(number)),
            view.key,
            status_text(view),
            " | ".join(describe_chain(chain) for chain in view.chains) or "(own voice)",
        )
    return table


def print_table_or_empty(console: Console, table: Table, rows: int, empty: str) -> None:
    if rows:
        console.print(table)
    else:
        console.print(Text(empty, style="dim"))


def _short(value: object, limit: int = 60) -> str:
    text = "—" if value is None else str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def history_table(versions: Sequence[dict]) -> Table:
    """Each recorded version of an entity: when, who, what, and the fields it changed."""
    table = Table(title="History", show_lines=True)
    table.add_column("event", justify="right")
    table.add_column("at (UTC)")
    table.add_column("actor")
    table.add_column("action")
    table.add_column("changes")
    for version in versions:
        if version["entity"] == "link":
            gone = version["state"] is None
            changes = Text.assemble(
                ("link removed: " if gone else "link made: ", "red" if gone else "green"),
                plain(version["key"]),
            )
        elif version["state"] is None:
            changes = Text("deleted", style="red")
        elif all(old is None for _name, old, _new in version["changes"]):
            changes = Text("created", style="green")
        else:
            changes = Text()
            for index, (name, old, new) in enumerate(version["changes"]):
                if index:
                    changes.append("\n")
                changes.append(f"{name}: ", style="bold")
                changes.append(plain(_short(old)), style="red")
                changes.append(" → ")
                changes.append(plain(_short(new)), style="green")
        table.add_row(
            str(version["seq"]),
            version["at"][:19].replace("T", " "),
            version["actor"],
            version["action"],
            changes,
        )
    return table


def text_update_report(report) -> Group:  # type: ignore[no-untyped-def]
    """What `article update` found: claims moved, orphaned (with candidates), or untouched."""
    lines: list[Text | Table] = []
    if not report.changed:
        lines.append(
            Text(f"{report.slug}: the text is unchanged (sha256 {report.new_sha256[:12]}…)")
        )
        return Group(*lines)
    counts = {outcome: 0 for outcome in ("unchanged", "moved", "accepted", "orphaned")}
    for claim in report.claims:
        counts[claim.outcome] += 1
    summary = ", ".join(f"{n} {name}" for name, n in counts.items() if n)
    lines.append(
        Text(
            f"{report.slug}: new text sha256 {report.new_sha256[:12]}…; quotes: {summary or 'none'}"
        )
    )
    for claim in report.claims:
        if claim.outcome == "unchanged":
            continue
        style = {"moved": "yellow", "accepted": "green", "orphaned": "bold red"}[claim.outcome]
        line = Text.assemble((f"{claim.outcome:>9} ", style), (claim.key, "bold"))
        if claim.result.reason:
            line.append(plain(f": {claim.result.reason}"))
        lines.append(line)
        if claim.outcome == "orphaned":
            lines.append(plain_text(f"            was: “{claim.quote}”", style="dim"))
            for number, candidate in enumerate(claim.result.candidates, start=1):
                lines.append(
                    plain_text(
                        f"            {number}. “{candidate.passage}” ({candidate.ratio:.0%} alike)"
                    )
                )
            if not claim.result.candidates:
                lines.append(
                    Text("            no passage looks like it: edit or retract the claim")
                )
    if report.written:
        lines.append(Text(f"written as version {report.version} of the text", style="green"))
    elif report.orphaned:
        keys = " ".join(f"--accept {claim.key}=N" for claim in report.orphaned)
        lines.append(
            Text(
                f"nothing written: {plural(len(report.orphaned), 'claim')} "
                f"{'needs' if len(report.orphaned) == 1 else 'need'} a decision. Re-run with {keys}, "
                "or fix the quotes with `ledger claim edit` first.",
                style="bold",
            )
        )
    return Group(*lines)
