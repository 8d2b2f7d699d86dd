"""`ledger suggest`: a draft bundle for an article, found by rules, to review and import."""

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from ledger.cli._common import DbOption, LedgerTyper, console, open_ledger
from ledger.wording import excerpt, plural

if TYPE_CHECKING:
    from ledger.read.known import KnownLabel
    from ledger.suggest import Draft

HEADER = [
    "Draft bundle suggested by `ledger suggest`: rules, not a reviewer.",
    "Check every claim, chain, kind and anonymity; delete what is wrong, add what is",
    "missing (unattributed claims, links), then `ledger import` this file.",
    "Comments give the words each suggestion rests on.",
]


def register(app: LedgerTyper) -> None:
    """Add `suggest` to the top-level app."""
    app.command("suggest")(suggest)


def _read(path: Path) -> str:
    """The article's text: a regular file (never a device or a pipe), of at most the size of
    an article text a bundle may name."""
    from ledger.text.files import read_file
    from ledger.write.confined import MAX_TEXT_BYTES

    return read_file(path, what="an article text file", limit=MAX_TEXT_BYTES)


def _relative(path: Path, output: Path | None) -> str | None:
    """`text_file` as the bundle format wants it: inside the draft's own directory.

    A text elsewhere cannot be named by `text_file` (import reads no file outside
    the bundle's directory), so the draft then carries the text inline: None.
    """
    base = output.resolve().parent if output else Path.cwd()
    target = path.resolve()
    if not target.is_relative_to(base):
        return None
    return target.relative_to(base).as_posix()


def _ledger_sources(db: str | None, header: list[str]) -> "list[KnownLabel] | None":
    """The ledger's keys and aliases with their labels, so that the draft reuses and avoids
    them; None, said in the draft's header, when there is no ledger to ask."""
    value = db or os.environ.get("LEDGER_DB") or "ledger.db"
    if "://" not in value and not Path(value).expanduser().exists():
        # No ledger file: say so without loading the database layer, which costs more
        # than drafting the whole article.
        header.append(f"No ledger at {value} to check keys against (give --db).")
        return None
    from ledger.errors import SchemaOutOfDate

    try:
        book = open_ledger(db)
    except SchemaOutOfDate as exc:
        header.append(f"No ledger to check keys against ({exc}).")
        return None
    return book.known_labels()


def _from_ledger(
    slug: str, db: str | None, new_slug: str | None, title: str | None, outlet: str | None
) -> "Draft":
    """The draft for an article already in the ledger, from its stored text."""
    from ledger.errors import InvalidInput, NotFound, SchemaOutOfDate
    from ledger.suggest import suggest as make_draft

    try:
        book = open_ledger(db)
    except SchemaOutOfDate as exc:
        raise NotFound(f"{slug}: no such file, and no ledger to find it in ({exc})") from None
    try:
        covered = book.coverage(slug)
    except NotFound:
        raise NotFound(
            f"{slug}: no such file, and no article {excerpt(slug)} in the ledger"
        ) from None
    known = book.known_labels()
    article, claimed, taken = covered.article, covered.spans, covered.keys
    if article.text is None:
        raise InvalidInput(
            f"article {excerpt(slug)} has no stored text: give its text file instead"
        )
    kept = {"slug", "title", "outlet", "url", "published", "byline"}
    fields = {name: value for name, value in article.to_json().items() if name in kept}
    draft = make_draft(
        article.text,
        slug=new_slug,
        title=title,
        outlet=outlet or article.outlet,
        article={name: value for name, value in fields.items() if value is not None},
        known_sources=known,
    )
    if draft.article["slug"] == slug and taken:
        _to_merge(draft, claimed, taken)
    return draft


def _to_merge(draft: "Draft", claimed: list[tuple[int, int]], taken: set[str]) -> None:
    """A draft for an article the ledger holds: what is not claimed yet, to merge."""
    left_out = unclaimed_only(draft, claimed, taken)
    draft.header.append(
        f"{draft.article['slug']} is in the ledger already with {plural(len(taken), 'claim')}: "
        f"this draft holds only what no claim covers yet ({left_out} of the suggestions left "
        "out). Add it with `ledger import --merge`, which keeps everything already entered."
    )


def _against_ledger(draft: "Draft", text: str, db: str | None) -> None:
    """A draft from a file whose article is in the ledger already: only what is unclaimed."""
    from ledger.errors import LedgerError

    slug = draft.article["slug"]
    try:
        covered = open_ledger(db).coverage(slug)
        stored, claimed, taken = covered.article.text, covered.spans, covered.keys
    except LedgerError:  # no ledger here, or not this article: a draft of everything
        return
    if stored == text:
        if taken:
            _to_merge(draft, claimed, taken)
        return
    draft.header.append(
        f"{slug} is in the ledger already, with another text: bring it up to date with "
        f"`ledger article update {slug} FILE` first, then suggest again."
    )


def unclaimed_only(draft: "Draft", claimed: list[tuple[int, int]], taken: set[str]) -> int:
    """Drop the suggestions whose quote overlaps a claim's in the ledger; returns how many.

    What remains keeps clear of the claim keys the article has (a suggested key
    that is taken gets a number), and only the sources it still cites are defined.
    """
    kept = [
        claim
        for claim in draft.claims
        if not any(claim.start < end and start < claim.end for start, end in claimed)
    ]
    left_out = len(draft.claims) - len(kept)
    used = set(taken)
    for claim in kept:
        key, number = claim.key, 2
        while key in used:
            key, number = f"{claim.key}-{number}", number + 1
        claim.key = key
        used.add(key)
    cited = {source for claim in kept for chain in claim.chains for source in chain}
    draft.claims[:] = kept
    draft.sources[:] = [source for source in draft.sources if source.key in cited]
    return left_out


def suggest(
    article: Annotated[
        str,
        typer.Argument(
            metavar="FILE_OR_SLUG",
            help="An article's text file, or the slug of an article in the ledger.",
            show_default=False,
        ),
    ],
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="Write the draft here, not to stdout.")
    ] = None,
    slug: Annotated[
        str | None,
        typer.Option("--slug", help="The draft article's slug. Default: from its title."),
    ] = None,
    title: Annotated[
        str | None,
        typer.Option("--title", help="The article's title. Default: its first line or file name."),
    ] = None,
    outlet: Annotated[
        str | None,
        typer.Option(
            "--outlet", help="The publishing outlet; implicit, so it never appears in a chain."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Suggest claims, speakers, chains and anonymity for an article: a draft bundle to review."""
    from ledger.cli._files import check_output, output_file
    from ledger.errors import InvalidInput, NotFound
    from ledger.model import KEY_RE
    from ledger.suggest import suggest as make_draft

    if output is not None:
        check_output(output)
    if slug is not None and not KEY_RE.match(slug):
        raise InvalidInput(
            f"--slug: {excerpt(slug)} is not a valid slug (lowercase letters, digits, -)"
        )
    path = Path(article)
    merging = False
    if path.is_dir():
        raise InvalidInput(f"{article}: is a directory, not an article text file")
    if path.exists():  # a file; `_read` refuses devices, pipes and sizes beyond an article's
        text, relative = _read(path), _relative(path, output)
        notes: list[str] = []
        draft = make_draft(
            text,
            slug=slug,
            title=title,
            outlet=outlet,
            text_file=relative or path.name,
            known_sources=_ledger_sources(db, notes),
        )
        draft.header.extend(notes)
        if relative is None:  # not beside the draft: the text travels inline
            draft.article.pop("text_file", None)
            draft.article["text"] = text
        if title is None and draft.article["title"] == re.sub(r"[-_]", " ", path.stem):
            draft.header.append("The title is the file name: give the real one (or --title).")
        _against_ledger(draft, text, db)
        merging = any("--merge" in line for line in draft.header)
    elif KEY_RE.match(article) and not path.suffix:
        draft = _from_ledger(article, db, slug, title, outlet)
        merging = any("--merge" in line for line in draft.header)
    else:
        raise NotFound(f"{article}: no such file")
    draft.header[:0] = HEADER
    content = draft.to_yaml()
    if output is None:
        typer.echo(content, nl=False)
        return
    with output_file(output) as handle:
        handle.write(content)
    console().print(
        f"wrote a draft of {plural(len(draft.claims), 'claim')} from "
        f"{plural(len(draft.sources), 'source')} to "
        f"{output}: review it, then `ledger import {'--merge ' if merging else ''}{output}`",
        soft_wrap=True,
    )
