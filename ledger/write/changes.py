"""What an import does to an article already in the ledger, worked out before it writes.

`replacement` lists everything replacing the article with a bundle would
remove, change and add; `merger` lists what merging would add, and refuses a
bundle that defines anything differently from the ledger. Both read only, so
the lists can be shown to a person, and asked about, before a write begins.
The bundle's waivers are resolved and checked here too (`check_waivers`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from ledger.audit import states
from ledger.checks import check_named
from ledger.errors import BundleError, LedgerError
from ledger.model import split_claim_ref
from ledger.read.waivers import waivers, waivers_of_article
from ledger.storage.rows import text_sha256
from ledger.storage.schema import ArticleRow, ClaimRow
from ledger.wording import excerpt, plural
from ledger.write.bundle import BundleWaiver, LoadedBundle
from ledger.write.entries import HopPair, claim_state, source_ids
from ledger.write.sourcedefs import SourcePlan

CLAIM_FIELDS = ("text", "quote", "kind", "cue", "chains", "notes", "retracted")
OPTIONAL_CLAIM_FIELDS = ("quote", "cue", "notes")
ARTICLE_FIELDS = (*states.ARTICLE_STATE_FIELDS, "text_sha256")


@dataclass
class ArticleChanges:
    """What importing a bundle does to an article already in the ledger.

    Everything that would be lost or altered is listed by name, for a person to
    read before saying yes: claims removed, chains removed from claims that
    stay (numbered as `ledger claim show` numbers them now), links, internal
    notes and waivers removed, claims and article fields changed.
    """

    slug: str
    mode: str  # "replace" or "merge"
    article: list[str] = field(default_factory=list)
    removed_claims: list[str] = field(default_factory=list)
    changed_claims: list[tuple[str, list[str]]] = field(default_factory=list)
    removed_chains: list[tuple[str, int, list[str]]] = field(default_factory=list)
    removed_links: list[str] = field(default_factory=list)
    removed_notes: list[str] = field(default_factory=list)
    removed_waivers: list[str] = field(default_factory=list)
    added_claims: list[str] = field(default_factory=list)
    added_links: list[str] = field(default_factory=list)
    added_waivers: list[str] = field(default_factory=list)

    @property
    def loses(self) -> bool:
        """Whether anything in the ledger would be removed or altered (not merely added to)."""
        return bool(
            self.article
            or self.removed_claims
            or self.changed_claims
            or self.removed_chains
            or self.removed_links
            or self.removed_notes
            or self.removed_waivers
        )

    def lines(self) -> list[str]:
        """The changes in words, one line each, losses first: what `import` shows and asks."""
        chains = [f"{key} chain {n} ({' > '.join(keys)})" for key, n, keys in self.removed_chains]
        changed = [f"{key} ({', '.join(names)})" for key, names in self.changed_claims]
        listed = [
            ("remove", "claim", self.removed_claims, ", "),
            ("remove", "chain", chains, "; "),
            ("remove", "link", self.removed_links, "; "),
            ("remove the internal notes of", "claim", self.removed_notes, ", "),
            ("remove", "waiver", self.removed_waivers, "; "),
            ("change", "claim", changed, "; "),
        ]
        found = [
            f"{verb} {plural(len(names), noun)}: {joint.join(names)}"
            for verb, noun, names, joint in listed
            if names
        ]
        if self.article:
            found.append(f"change the article's {', '.join(self.article)}")
        if self.added_claims:
            found.append(
                f"add {plural(len(self.added_claims), 'claim')}: " + ", ".join(self.added_claims)
            )
        found += [
            f"add {plural(len(items), noun)}"
            for noun, items in (("link", self.added_links), ("waiver", self.added_waivers))
            if items
        ]
        return found

    def to_json(self) -> dict[str, Any]:
        return {
            "article": self.slug,
            "mode": self.mode,
            "loses": self.loses,
            "article_fields": self.article,
            "removed_claims": self.removed_claims,
            "changed_claims": [{"key": k, "fields": names} for k, names in self.changed_claims],
            "removed_chains": [
                {"claim": key, "chain": number, "sources": keys}
                for key, number, keys in self.removed_chains
            ],
            "removed_links": self.removed_links,
            "removed_notes": self.removed_notes,
            "removed_waivers": self.removed_waivers,
            "added_claims": self.added_claims,
            "added_links": self.added_links,
            "added_waivers": self.added_waivers,
        }


@dataclass
class Prepared:
    """One bundle of a file, checked and ready to write; `changes` for an article the ledger
    holds. (Kept beside the comparisons, which read it.)"""

    loaded: LoadedBundle
    text: str | None
    sources: SourcePlan
    existing_article: int | None
    mode: str = "new"  # "new", "replace" or "merge"
    changes: ArticleChanges | None = None
    waivers: list[tuple[str, str, BundleWaiver]] = field(default_factory=list)
    skip_claims: set[str] = field(default_factory=set)  # merge: already in the ledger, as given
    anchors: dict[str, dict[str, object]] = field(default_factory=dict)  # claim key -> anchor
    chains: list[list[list[HopPair]]] = field(default_factory=list)  # per claim, keys resolved

    @property
    def slug(self) -> str:
        """The article's slug ("" for a bundle that only defines sources)."""
        article = self.loaded.bundle.article
        return article.slug if article is not None else ""


# --- waivers ------------------------------------------------------------------------------------


def check_waivers(
    session: Session, loaded: LoadedBundle, sources: set[str]
) -> list[tuple[str, str, BundleWaiver]]:
    """(code, subject, waiver) of each waiver in the bundle, its code and subject resolved.

    A check about claims names a claim of the bundle's article (a bare key, or
    SLUG/KEY); a check about sources names a source the bundle or the ledger knows.
    """
    bundle = loaded.bundle
    slug = bundle.article.slug if bundle.article is not None else None
    own = {claim.key for claim in bundle.claims}
    resolved = []
    seen: set[tuple[str, str]] = set()
    for index, waiver in enumerate(bundle.waivers):
        place = f"waivers[{index}]"
        try:
            item = check_named(waiver.code, option=loaded.where(f"{place}.code"))
        except LedgerError as exc:
            raise BundleError(str(exc)) from None
        subject = waiver.subject
        if item.about == "claim":
            try:
                ref_slug, key = split_claim_ref(subject, default_article=slug)
            except ValueError as exc:
                raise BundleError(f"{loaded.where(f'{place}.subject')}: {exc}") from None
            if ref_slug != slug or key not in own:
                raise BundleError(
                    f"{loaded.where(f'{place}.subject')}: {item.code} waives a claim of this "
                    f"bundle's article; {excerpt(subject)} is not one"
                )
            subject = f"{ref_slug}/{key}"
        else:
            for key in subject.split(","):  # LS401 names two sources: DUPLICATE,KEEP
                if key not in sources and not source_ids(session, [key]):
                    raise BundleError(
                        f"{loaded.where(f'{place}.subject')}: unknown source {excerpt(key)}"
                    )
        if (item.code, subject) in seen:
            raise BundleError(f"{loaded.where(place)}: {item.code} on {subject} is waived twice")
        seen.add((item.code, subject))
        if item.about == "source":
            same_as_stored(session, loaded, place, item.code, subject, waiver)
        resolved.append((item.code, subject, waiver))
    return resolved


def same_as_stored(
    session: Session, loaded: LoadedBundle, place: str, code: str, subject: str, new: BundleWaiver
) -> None:
    """A waiver the ledger already holds must say the same (a source's, or in a merge)."""
    stored = waivers(session, [subject]).get((code, subject))
    if stored is None:
        return
    for name in ("reason", "by", "at"):
        given = getattr(new, name)
        if given is not None and given != getattr(stored, name):
            raise BundleError(
                f"{loaded.where(f'{place}.{name}')}: {code} on {subject} is already waived "
                f"with {name} {excerpt(getattr(stored, name))}, not {excerpt(given)}"
            )


# --- what replacing or merging does to the article in the ledger --------------------------------


def _stored_claims(session: Session, article: int) -> dict[str, dict[str, Any]]:
    ids = list(
        session.scalars(
            select(ClaimRow.id).where(ClaimRow.article_id == article).order_by(ClaimRow.id)
        )
    )
    return {state["key"]: state for _ref, state in states.claim_states(session, ids).values()}


def _bundle_claims(item: Prepared) -> dict[str, dict[str, Any]]:
    """The bundle's claims as the audit trail would record them (merged keys resolved)."""
    return {
        claim.key: claim_state(item.slug, claim, chains)
        for claim, chains in zip(item.loaded.bundle.claims, item.chains, strict=True)
    }


def _bundle_links(item: Prepared) -> list[str]:
    """The bundle's links as keys `SLUG/KEY relation SLUG/KEY` (unknown ends are caught later)."""
    bundle = item.loaded.bundle
    assert bundle.article is not None
    keys = []
    for spec in bundle.links:
        try:
            source = split_claim_ref(spec.source_claim, default_article=bundle.article.slug)
            target = split_claim_ref(spec.target_claim, default_article=bundle.article.slug)
        except ValueError:
            continue
        keys.append(states.link_key("/".join(source), spec.relation.value, "/".join(target)))
    return keys


def _article_differences(session: Session, item: Prepared) -> list[str]:
    bundle = item.loaded.bundle
    assert bundle.article is not None
    row = session.get(ArticleRow, item.existing_article)
    assert row is not None
    stored = states.article_row_state(row)
    given = bundle.article.model_dump(mode="json", include=set(states.ARTICLE_STATE_FIELDS))
    given["text_sha256"] = text_sha256(item.text) if item.text is not None else None
    return [
        "text" if name == "text_sha256" else name
        for name in ARTICLE_FIELDS
        if given.get(name) != stored.get(name)
    ]


def replacement(session: Session, item: Prepared) -> ArticleChanges:
    """Everything replacing the article with this bundle removes, changes and adds."""
    bundle = item.loaded.bundle
    assert bundle.article is not None and item.existing_article is not None
    slug = bundle.article.slug
    changes = ArticleChanges(slug, "replace", article=_article_differences(session, item))
    stored = _stored_claims(session, item.existing_article)
    given = _bundle_claims(item)
    changes.removed_claims = [key for key in stored if key not in given]
    changes.added_claims = [key for key in given if key not in stored]
    for key, new in given.items():
        old = stored.get(key)
        if old is None:
            continue
        if old.get("notes") is not None and new.get("notes") is None:
            changes.removed_notes.append(key)
        differing = [
            name
            for name in CLAIM_FIELDS
            if old.get(name) != new.get(name) and not (name == "notes" and new.get(name) is None)
        ]
        if differing:
            changes.changed_claims.append((key, differing))
        kept = [chain for chain in new["chains"]]
        for number, chain in enumerate(old["chains"], start=1):
            if chain not in kept:
                changes.removed_chains.append((key, number, [source for source, _cue in chain]))
    outgoing = [
        key
        for _e, key, _s, _a in states.iter_link_states(
            session, from_article_id=item.existing_article
        )
    ]
    wanted = _bundle_links(item)
    changes.removed_links = [key for key in outgoing if key not in wanted]
    changes.added_links = [key for key in wanted if key not in outgoing]
    held = waivers_of_article(session, slug)
    listed = {(code, subject): waiver for code, subject, waiver in item.waivers}
    for (code, subject), waiver in held.items():
        new_waiver = listed.get((code, subject))
        if new_waiver is None or new_waiver.reason != waiver.reason:
            changes.removed_waivers.append(f"{code} {subject}")
    changes.added_waivers = [
        f"{code} {subject}"
        for (code, subject), waiver in listed.items()
        if subject.startswith(f"{slug}/")
        and (held.get((code, subject)) is None or held[(code, subject)].reason != waiver.reason)
    ]
    return changes


def same_text(loaded: LoadedBundle, text: str | None, stored_sha: str | None) -> None:
    """A merge keeps the ledger's text: a bundle that gives another one is refused."""
    article = loaded.bundle.article
    if article is None or text is None or text_sha256(text) == stored_sha:
        return
    place = "article.text_file" if article.text_file else "article.text"
    raise BundleError(
        f"{loaded.where(place)}: the text differs from the ledger's (merging adds, it never "
        "changes; a corrected text goes in with `ledger article update`)"
    )


def merger(session: Session, item: Prepared) -> ArticleChanges:
    """What merging the bundle into the article adds; any conflicting definition is an error."""
    bundle = item.loaded.bundle
    assert bundle.article is not None and item.existing_article is not None
    slug = bundle.article.slug
    where = item.loaded.where
    changes = ArticleChanges(slug, "merge")
    given_article = bundle.article.model_dump(exclude_none=True, exclude={"text", "text_file"})
    row = session.get(ArticleRow, item.existing_article)
    assert row is not None
    for name, value in given_article.items():
        if getattr(row, name) != value:
            raise BundleError(
                f"{where(f'article.{name}')}: article {excerpt(slug)} is in the ledger with {name} "
                f"{_shown(getattr(row, name))}, not {_shown(value)} (merging adds, it never changes)"
            )
    stored = _stored_claims(session, item.existing_article)
    given = _bundle_claims(item)
    for index, (key, new) in enumerate(given.items()):
        old = stored.get(key)
        if old is None:
            changes.added_claims.append(key)
            continue
        for name in CLAIM_FIELDS:
            if name in OPTIONAL_CLAIM_FIELDS and new.get(name) is None:
                continue  # left out of the bundle: nothing said, nothing to differ
            if name != "retracted" and old.get(name) != new.get(name):
                place = "attributions" if name == "chains" else name
                raise BundleError(
                    f"{where(f'claims[{index}].{place}')}: claim {slug}/{key} is in the ledger "
                    f"with {place} {_shown(old.get(name))}, not {_shown(new.get(name))} "
                    "(merging adds, it never changes)"
                )
        item.skip_claims.add(key)
    outgoing = {
        key
        for _e, key, _s, _a in states.iter_link_states(
            session, from_article_id=item.existing_article
        )
    }
    changes.added_links = [key for key in _bundle_links(item) if key not in outgoing]
    held = waivers_of_article(session, slug)
    for index, (code, subject, waiver) in enumerate(item.waivers):  # one per bundle waiver
        if subject.startswith(f"{slug}/"):
            same_as_stored(session, item.loaded, f"waivers[{index}]", code, subject, waiver)
            if (code, subject) not in held:
                changes.added_waivers.append(f"{code} {subject}")
    return changes


def _shown(value: Any) -> str:
    if isinstance(value, list):
        return (
            "[" + ", ".join("[" + ", ".join(hop[0] for hop in chain) + "]" for chain in value) + "]"
        )
    return excerpt(value.isoformat() if isinstance(value, dt.date) else value)
