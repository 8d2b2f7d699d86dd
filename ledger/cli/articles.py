"""`ledger article add|list|show`."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ledger.cli._common import (
    AsOption,
    CsvOption,
    DbOption,
    HistoryOption,
    JsonOption,
    LedgerTyper,
    ThresholdOption,
    TsvOption,
    console,
    open_database,
    output_format,
    print_json,
    print_rows,
)
from ledger.cli.completion import complete_slug
from ledger.wording import excerpt, plural

app = LedgerTyper()


@app.command("add")
def article_add(
    slug: Annotated[str, typer.Argument(help="Unique slug, e.g. rt-is-nusra-deal.")],
    title: Annotated[str, typer.Option("--title", help="The headline.")],
    outlet: Annotated[str | None, typer.Option("--outlet")] = None,
    url: Annotated[str | None, typer.Option("--url")] = None,
    published: Annotated[str | None, typer.Option("--published", help="YYYY-MM-DD.")] = None,
    byline: Annotated[str | None, typer.Option("--byline")] = None,
    text_file: Annotated[
        Path | None, typer.Option("--text-file", help="The article's full text (UTF-8).")
    ] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Add an article, optionally with its full text (its SHA-256 is stored with it)."""
    from ledger.errors import InvalidInput
    from ledger.model import Article
    from ledger.write.entries import add_article
    from ledger.write.validation import validated

    text = None
    if text_file is not None:
        try:
            text = text_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise InvalidInput(f"--text-file: cannot read {text_file}: {exc}") from None
    if published is not None:
        try:
            dt.date.fromisoformat(published)
        except ValueError:
            raise InvalidInput(
                f"--published: expected YYYY-MM-DD, got {excerpt(published)}"
            ) from None
    article = validated(
        Article,
        {
            "slug": slug,
            "title": title,
            "outlet": outlet,
            "url": url,
            "published": published,
            "byline": byline,
            "text": text,
        },
        names={"slug": "SLUG"},
    )
    database = open_database(db)
    with database.write(actor) as session:
        add_article(session, article)
    console().print(f"added article {slug}")


ARTICLE_COLUMNS = ("slug", "title", "outlet", "url", "published", "byline", "text_sha256")


@app.command("list")
def article_list(
    db: DbOption = None, json_: JsonOption = False, csv: CsvOption = False, tsv: TsvOption = False
) -> None:
    """List the articles in the ledger with their claim counts."""
    from ledger.read.queries import list_articles
    from ledger.render.text import articles_table, print_table_or_empty

    fmt = output_format(json_, csv, tsv)
    database = open_database(db)
    with database.read() as session:
        summaries = list_articles(session)
    if fmt == "json":
        print_json(
            [
                {**s.article.model_dump(mode="json", exclude={"text"}), "claims": s.claims}
                for s in summaries
            ]
        )
        return
    if fmt is not None:
        rows = [
            [*(getattr(s.article, name) for name in ARTICLE_COLUMNS), s.claims] for s in summaries
        ]
        print_rows([*ARTICLE_COLUMNS, "claims"], rows, fmt)
        return
    print_table_or_empty(console(), articles_table(summaries), len(summaries), "no articles yet")


@app.command("show")
def article_show(
    slug: Annotated[str, typer.Argument(help="The article's slug.", autocompletion=complete_slug)],
    history: HistoryOption = False,
    unclaimed: Annotated[
        bool, typer.Option("--unclaimed", help="Highlight the sentences no claim covers yet.")
    ] = False,
    db: DbOption = None,
    threshold: ThresholdOption = None,
    json_: JsonOption = False,
) -> None:
    """Print the article's text with each claim's quote marked and numbered, then a legend."""
    from ledger.audit.trail import history as entity_history
    from ledger.cli._common import threshold_or_default
    from ledger.read.queries import ClaimFilter, claim_views, get_article
    from ledger.render import text as render
    from ledger.text.anchoring import sentence_spans as anchor_sentences
    from ledger.write.corrections import quote_spans

    database = open_database(db)
    with database.read() as session:
        article = get_article(session, slug)
        views = claim_views(
            session, ClaimFilter(article=slug), threshold=threshold_or_default(threshold)
        )
        versions = entity_history(session, "article", slug) if history else []
        anchors = quote_spans(session, slug)
    if json_:
        data = {"article": article.model_dump(mode="json"), "claims": [v.to_json() for v in views]}
        print_json({**data, "history": versions} if history else data)
        return
    out = console()
    if history:
        out.print(render.history_table(versions))
    out.print(render.article_header(article))
    out.print()
    if article.text is None:
        out.print("(no text stored for this article)", style="dim")
    else:
        marked, missing = render.annotated_text(article.text, views, anchors, unclaimed=unclaimed)
        out.print(marked)
        if unclaimed:
            covered = [(s.start, s.end) for s in anchors.values()]
            left = render.uncovered_sentences(article.text, covered)
            total = len(anchor_sentences(article.text))
            out.print(
                f"\n{len(left)} of {plural(total, 'sentence')} "
                f"{'has' if len(left) == 1 else 'have'} no claim yet (highlighted)."
            )
        for view in missing:
            out.print(f"quote of {view.key} not found in the text: “{view.quote}”", style="yellow")
    out.print()
    out.print(render.legend_table(views))
    out.print(render.summary_line(views))


@app.command("edit")
def article_edit(
    slug: Annotated[str, typer.Argument(help="The article's slug.", autocompletion=complete_slug)],
    title: Annotated[str | None, typer.Option("--title")] = None,
    outlet: Annotated[str | None, typer.Option("--outlet")] = None,
    url: Annotated[str | None, typer.Option("--url")] = None,
    published: Annotated[str | None, typer.Option("--published", help="YYYY-MM-DD.")] = None,
    byline: Annotated[str | None, typer.Option("--byline")] = None,
    actor: AsOption = None,
    db: DbOption = None,
) -> None:
    """Change an article's title, outlet, url, date or byline; history keeps the old ones."""
    from ledger.errors import InvalidInput
    from ledger.write.edits import edit_article

    given = {"title": title, "outlet": outlet, "url": url, "published": published, "byline": byline}
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise InvalidInput(
            "nothing to change: give --title, --outlet, --url, --published or --byline"
        )
    database = open_database(db)
    with database.write(actor) as session:
        changed = edit_article(session, slug, changes)
    console().print(
        f"{slug}: changed {', '.join(changed)}"
        if changed
        else f"{slug}: already so, nothing changed"
    )


@app.command("update")
def article_update(
    slug: Annotated[str, typer.Argument(help="The article's slug.", autocompletion=complete_slug)],
    text_file: Annotated[Path, typer.Argument(help="The corrected text (UTF-8).")],
    accept: Annotated[
        list[str] | None,
        typer.Option(
            "--accept", help="KEY=N: anchor an orphaned claim to candidate N (repeatable)."
        ),
    ] = None,
    actor: AsOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Import a corrected text: re-anchor every quote; write nothing while a claim is orphaned."""
    from ledger.errors import InvalidInput
    from ledger.render.text import text_update_report
    from ledger.write.corrections import parse_accept, update_text

    try:
        text = text_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{text_file}: cannot read: {exc}") from None
    choices = parse_accept(accept or [])
    database = open_database(db)
    with database.write(actor) as session:
        report = update_text(session, slug, text, choices)
    if json_:
        print_json(
            {
                "article": slug,
                "changed": report.changed,
                "written": report.written,
                "version": report.version if report.written else None,
                "claims": [
                    {
                        "key": claim.key,
                        "outcome": claim.outcome,
                        "reason": claim.result.reason,
                        "candidates": [
                            {"number": n, "passage": c.passage, "similarity": c.ratio}
                            for n, c in enumerate(claim.result.candidates, start=1)
                        ],
                    }
                    for claim in report.claims
                ],
            }
        )
    else:
        console().print(text_update_report(report))
    if report.orphaned:
        raise typer.Exit(1)
