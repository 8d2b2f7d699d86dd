"""`ledger article add|list|show`."""

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

from ledger.cli._common import (
    ArticleSlug,
    AsOption,
    CsvOption,
    DbOption,
    HistoryOption,
    JsonOption,
    LedgerTyper,
    ThresholdOption,
    TsvOption,
    console,
    open_ledger,
    output_format,
    print_changed,
    print_json,
    print_machine,
)
from ledger.wording import excerpt, plural

app = LedgerTyper()


def _read_text(path: Path) -> str:
    """An article's text file: a regular file (never a device or a pipe) of at most the size
    a bundle's `text_file` may have."""
    from ledger.text.files import read_file
    from ledger.write.confined import MAX_TEXT_BYTES

    return read_file(path, what="an article text file", limit=MAX_TEXT_BYTES)


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
    from ledger.write.validation import validated

    text = None
    if text_file is not None:
        text = _read_text(text_file)
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
    open_ledger(db, actor=actor).add_article(article)
    console().print(f"added article {slug}")


ARTICLE_COLUMNS = ("slug", "title", "outlet", "url", "published", "byline", "text_sha256")


@app.command("list")
def article_list(
    db: DbOption = None, json_: JsonOption = False, csv: CsvOption = False, tsv: TsvOption = False
) -> None:
    """List the articles in the ledger with their claim counts."""
    from ledger.render.text import articles_table, print_table_or_empty

    fmt = output_format(json_, csv, tsv)
    summaries = open_ledger(db).articles()
    records = [summary.to_json() for summary in summaries]
    rows = ([*(getattr(s.article, name) for name in ARTICLE_COLUMNS), s.claims] for s in summaries)
    if print_machine(fmt, records, [*ARTICLE_COLUMNS, "claims"], rows):
        return
    print_table_or_empty(console(), articles_table(summaries), len(summaries), "no articles yet")


@app.command("show")
def article_show(
    slug: ArticleSlug,
    history: HistoryOption = False,
    unclaimed: Annotated[
        bool, typer.Option("--unclaimed", help="Highlight the sentences no claim covers yet.")
    ] = False,
    db: DbOption = None,
    threshold: ThresholdOption = None,
    json_: JsonOption = False,
) -> None:
    """Print the article's text with each claim's quote marked and numbered, then a legend."""
    from ledger.render import text as render
    from ledger.text.anchoring import sentence_spans as anchor_sentences

    screen = open_ledger(db, threshold=threshold).article_screen(slug, history=history)
    if json_:
        print_json(screen.to_json())
        return
    article, views, anchors = screen.article, screen.claims, screen.anchors
    out = console()
    if screen.history is not None:
        out.print(render.history_table(screen.history))
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
    slug: ArticleSlug,
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

    given = {"title": title, "outlet": outlet, "url": url, "published": published, "byline": byline}
    changes = {name: value for name, value in given.items() if value is not None}
    if not changes:
        raise InvalidInput(
            "nothing to change: give --title, --outlet, --url, --published or --byline"
        )
    print_changed(slug, open_ledger(db, actor=actor).edit_article(slug, changes))


@app.command("update")
def article_update(
    slug: ArticleSlug,
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
    from ledger.render.text import text_update_report
    from ledger.write.corrections import parse_accept

    text = _read_text(text_file)
    choices = parse_accept(accept or [])
    report = open_ledger(db, actor=actor).update_text(slug, text, choices)
    if json_:
        print_json(report.to_json())
    else:
        console().print(text_update_report(report))
    if report.orphaned:
        raise typer.Exit(1)
