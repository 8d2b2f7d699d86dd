"""Rows to domain values. The only place that knows both the ORM rows and the models."""

from __future__ import annotations

import hashlib

from ledger.model import STORED, Article, Source
from ledger.storage.schema import ArticleRow, SourceRow

SOURCE_FIELDS = tuple(name for name in Source.model_fields if name != "aliases")
"""The fields a source row holds; aliases live in their own table (`source_aliases`)."""
ARTICLE_FIELDS = tuple(Article.model_fields)


def text_sha256(text: str) -> str:
    """The SHA-256 of the article text as UTF-8, stored beside it."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def source_from_row(row: SourceRow, aliases: list[str] | None = None) -> Source:
    values = {name: getattr(row, name) for name in SOURCE_FIELDS}
    return Source.model_validate(
        {**values, "aliases": tuple(aliases) if aliases else None}, context=STORED
    )


def article_from_row(row: ArticleRow) -> Article:
    return Article.model_validate(
        {name: getattr(row, name) for name in ARTICLE_FIELDS}, context=STORED
    )


def source_values(source: Source) -> dict[str, object]:
    """Column values for a source row."""
    return source.model_dump(mode="json", exclude={"aliases"})


def article_values(article: Article) -> dict[str, object]:
    """Column values for an article row, with the text's hash computed here, once."""
    values = article.model_dump()
    values["text_sha256"] = text_sha256(article.text) if article.text is not None else None
    return values
