"""The bundle file format (DESIGN.md): reading, validating and writing bundles.

A bundle is one article with its sources, claims and links, as YAML or JSON. This
module checks the shape of a bundle (types, required fields, unknown keys) and
reports faults by their place in the file (`claims[12].attributions[0][1]`).
Whether the names in it resolve against the ledger is the importer's business.

Extensions of the contract, all optional: a hop may be written `{source, cue}`
to record the verb of that step; a document may omit `article` to define
sources alone (a full export uses it for sources no claim cites yet); and
`waivers` lists the findings editors accepted (`ledger waive`), so that an
export re-creates them.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ledger.errors import BundleError
from ledger.model import (
    ArticleText,
    Chain,
    ClaimKind,
    Hop,
    Key,
    Label,
    OptionalLabel,
    OptionalText,
    Relation,
    Source,
    Text,
)
from ledger.streaming import json_array_chunks
from ledger.wording import EXCERPT_LENGTH, excerpt, yaml_style
from ledger.write.confined import read_text_inside
from ledger.write.parsing import parse_json, parse_yaml, read_file


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BundleArticle(_Strict):
    slug: Key
    title: Label
    outlet: OptionalLabel = None
    url: OptionalLabel = None
    published: dt.date | None = None
    byline: OptionalLabel = None
    text: ArticleText = None
    text_file: str | None = None

    @model_validator(mode="after")
    def _one_text(self) -> BundleArticle:
        if self.text is not None and self.text_file is not None:
            raise ValueError("give either `text` or `text_file`, not both")
        return self


class BundleClaim(_Strict):
    key: Key
    text: Text
    quote: OptionalText = None
    kind: ClaimKind = ClaimKind.FACT
    cue: OptionalText = None
    attributions: list[Chain] = Field(default_factory=list)
    notes: OptionalText = None

    @model_validator(mode="after")
    def _no_empty_chain(self) -> BundleClaim:
        for index, chain in enumerate(self.attributions):
            if not chain:
                raise ValueError(
                    f"attributions[{index}] is empty: a chain names at least one source"
                )
        return self

    def chains(self) -> list[list[Hop]]:
        """The chains with every hop as a `Hop`."""
        return [
            [hop if isinstance(hop, Hop) else Hop(source=hop) for hop in chain]
            for chain in self.attributions
        ]


class BundleLink(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)

    source_claim: str = Field(alias="from")
    relation: Relation
    target_claim: str = Field(alias="to")


class BundleWaiver(_Strict):
    """A finding an editor accepted: `code` and `subject` as `ledger check --json` gives them
    (a bare key names a claim of the bundle's article, for the checks about claims)."""

    code: Text
    subject: Text
    reason: Text
    by: OptionalLabel = None
    at: OptionalText = None


class Bundle(_Strict):
    version: Literal[1]
    article: BundleArticle | None = None
    sources: list[Source] = Field(default_factory=list)
    claims: list[BundleClaim] = Field(default_factory=list)
    links: list[BundleLink] = Field(default_factory=list)
    waivers: list[BundleWaiver] = Field(default_factory=list)

    @model_validator(mode="after")
    def _claims_need_article(self) -> Bundle:
        if self.article is None and (self.claims or self.links):
            raise ValueError("`article` is required when the bundle has claims or links")
        return self


class LoadedBundle(BaseModel):
    """A validated bundle and where it came from (for messages and `text_file`)."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    bundle: Bundle
    origin: str
    base_dir: Path
    document: int = 0

    def where(self, place: str = "") -> str:
        """`FILE[: document N][: place]`, the prefix of every message about this bundle."""
        parts = [self.origin]
        if self.document:
            parts.append(f"document {self.document + 1}")
        if place:
            parts.append(place)
        return ": ".join(parts)


def format_location(location: Iterable[int | str]) -> str:
    """`('claims', 12, 'attributions', 0, 1)` -> `claims[12].attributions[0][1]`."""
    text = ""
    for part in location:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


# pydantic names the branch of a union in error locations (`str`, `Hop`,
# `function-after[...]`); users wrote neither, so those parts are dropped.
def _user_location(location: tuple[int | str, ...]) -> str:
    cleaned = [
        part if isinstance(part, int) or len(part) <= EXCERPT_LENGTH else excerpt(part)
        for part in location
        if not (isinstance(part, str) and (part in {"str", "Hop"} or "[" in part))
    ]
    return format_location(cleaned)


def _describe(error: dict[str, Any]) -> str:
    place = _user_location(tuple(error["loc"]))
    message = error["msg"]
    if error["type"] == "extra_forbidden":
        message = "unknown field (check its spelling against the bundle format)"
    elif error["type"] == "literal_error" and place == "version":
        message = (
            f"unsupported bundle version {excerpt(error.get('input'))}; this ledger reads version 1"
        )
    elif error["type"] == "string_pattern_mismatch":
        message = (
            f"{excerpt(error.get('input'))} is not a valid key "
            "(lowercase letters, digits and hyphens, not starting with a hyphen)"
        )
    message = message.removeprefix("Value error, ")
    return f"{place}: {message}" if place else message


def validate(data: Any, *, origin: str, base_dir: Path, document: int = 0) -> LoadedBundle:
    """Validate one parsed document, raising BundleError at the first fault's place."""
    probe = LoadedBundle.model_construct(origin=origin, base_dir=base_dir, document=document)
    if not isinstance(data, dict):
        raise BundleError(f"{probe.where()}: a bundle must be a mapping, got {type(data).__name__}")
    try:
        bundle = Bundle.model_validate(data)
    except ValidationError as exc:
        errors = exc.errors()
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise BundleError(f"{probe.where()}: {_describe(errors[0])}{more}") from None
    return LoadedBundle(bundle=bundle, origin=origin, base_dir=base_dir, document=document)


def parse_text(content: str, *, origin: str, fmt: str) -> list[Any]:
    """Parse YAML (one or more documents) or JSON (one bundle or an array of them), within
    the bounds of `ledger.write.parsing` (no aliases, no repeated keys, bounded nesting)."""
    if fmt == "json":
        data = parse_json(content, origin=origin)
        return data if isinstance(data, list) else [data]
    return parse_yaml(content, origin=origin)


def load_file(path: Path) -> list[LoadedBundle]:
    """Read and validate every bundle in a YAML or JSON file (a regular file, at most
    `MAX_BUNDLE_BYTES`)."""
    origin = str(path)
    content = read_file(path, what="a bundle file")
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    documents = parse_text(content, origin=origin, fmt=fmt)
    if not documents:
        raise BundleError(f"{origin}: the file holds no bundle")
    return [
        validate(
            data, origin=origin, base_dir=path.parent, document=index if len(documents) > 1 else 0
        )
        for index, data in enumerate(documents)
    ]


def read_article_text(loaded: LoadedBundle) -> str | None:
    """The article text, inline or from `text_file` (inside the bundle's directory: see
    `ledger.write.confined`)."""
    article = loaded.bundle.article
    if article is None:
        return None
    if article.text_file is None:
        return article.text
    return read_text_inside(
        loaded.base_dir, article.text_file, place=loaded.where("article.text_file")
    )


# --- writing -----------------------------------------------------------------------------------


def to_document(bundle: Bundle) -> dict[str, Any]:
    """A bundle as plain data in the contract's field order, with unset fields left out."""
    data = bundle.model_dump(mode="json", by_alias=True, exclude_none=True)
    for claim in data.get("claims", []):
        claim["attributions"] = [
            [hop["source"] if set(hop) == {"source"} else hop for hop in chain]
            for chain in claim.get("attributions", [])
        ]
        if not claim["attributions"]:
            del claim["attributions"]
    for name in ("sources", "claims", "links", "waivers"):
        if not data.get(name):
            data.pop(name, None)
    return data


class _Dumper(yaml.SafeDumper):
    """Block scalars for multi-line text, so exported article texts stay readable; never an
    anchor or alias (import refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=yaml_style(value))


_Dumper.add_representer(str, _represent_str)


class _FlowList(list):  # type: ignore[type-arg]
    """A chain of source keys, written `[ap, opposition-official]` as people write it."""


class _FlowMap(dict):  # type: ignore[type-arg]
    """A link, written `{from: a, relation: corroborates, to: b}` on one line."""


_Dumper.add_representer(
    _FlowList, lambda d, v: d.represent_sequence("tag:yaml.org,2002:seq", v, flow_style=True)
)
_Dumper.add_representer(
    _FlowMap, lambda d, v: d.represent_mapping("tag:yaml.org,2002:map", v.items(), flow_style=True)
)


def _yaml_shapes(document: dict[str, Any]) -> dict[str, Any]:
    """Mark chains and links for flow style; everything else is written as blocks."""
    for claim in document.get("claims", []):
        if "attributions" in claim:
            claim["attributions"] = [
                _FlowList(chain) if all(isinstance(hop, str) for hop in chain) else chain
                for chain in claim["attributions"]
            ]
    if "links" in document:
        document["links"] = [_FlowMap(link) for link in document["links"]]
    return document


def dump_chunks(bundles: Iterable[Bundle], fmt: str) -> Iterator[str]:
    """`dump`, a bundle at a time, byte for byte; `jsonl` writes one bundle per line.

    The first two bundles are read before anything is written, because a lone
    bundle is written bare (no `---`, no JSON array) and several are not.
    """
    stream = iter(bundles)
    head = list(itertools.islice(stream, 2))
    if fmt == "jsonl":
        for bundle in itertools.chain(head, stream):
            yield json.dumps(to_document(bundle), ensure_ascii=False) + "\n"
        return
    if len(head) < 2:
        yield dump(head, fmt) if head else ""
        return
    documents = (to_document(bundle) for bundle in itertools.chain(head, stream))
    if fmt == "json":
        yield from json_array_chunks(documents)
        yield "\n"
        return
    for document in documents:
        yield yaml.dump(
            _yaml_shapes(document),
            Dumper=_Dumper,
            sort_keys=False,
            allow_unicode=True,
            width=100,
            default_flow_style=False,
            explicit_start=True,
        )


def dump(bundles: list[Bundle], fmt: str) -> str:
    """Serialise bundles: YAML documents separated by `---`, or JSON (an array if several)."""
    documents = [to_document(bundle) for bundle in bundles]
    if fmt == "json":
        payload: Any = documents[0] if len(documents) == 1 else documents
        return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"
    return yaml.dump_all(
        [_yaml_shapes(document) for document in documents],
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
        explicit_start=len(documents) > 1,
    )
