"""The ledger as W3C PROV (PROV-DM), serialised as PROV-JSON and PROV-N with the `prov` package.

The mapping (documented in the README):

- the article is an entity (`prov:Collection` and `ledger:Article`) whose members
  (`hadMember`) are its claims, attributed to its outlet (`prov:Organization`);
- each claim is an entity: its text as `prov:value`, the verdict as `ledger:` attributes,
  attributed to the publishing outlet (role `ledger:publisher`);
- each source is an agent: `prov:Person` or `prov:Organization` (outlets too), with
  anonymity, stated reason and the standards fields as `ledger:` attributes; a source
  that speaks for another `actedOnBehalfOf` it (the spokeswoman for her ministry);
- "the claim as stated by a source" is an entity per chain prefix, attributed to that
  source (role `ledger:intermediary` or `ledger:origin`); consecutive statements are
  joined by a derivation: `wasQuotedFrom` when an outlet's published report is
  repeated, `wasDerivedFrom` when a person or body relays it, `hadPrimarySource` for
  the origin's statement;
- a link between claims is `wasInfluencedBy(TO, FROM)` with `ledger:relation`.

Output is built with the `prov` package under warnings-as-errors, so nothing it
would silently drop (an undeclared prefix, a bad value) goes unnoticed.
"""

from __future__ import annotations

import re
import warnings
from typing import Any

import prov.model as pm

from ledger.claimview import ArticleView, ClaimView, HopView, SourceView
from ledger.report.model import Report
from ledger.vocab import SourceKind
from ledger.wording import CONTROL, json_plain, plain

BASE = "urn:claim-ledger:"
NAMESPACES = {
    "ledger": f"{BASE}ns#",
    "article": f"{BASE}article:",
    "claim": f"{BASE}claim:",
    "stated": f"{BASE}statement:",
    "source": f"{BASE}source:",
    "outlet": f"{BASE}outlet:",
}
AGENT_TYPES = {
    SourceKind.PERSON: pm.PROV["Person"],
    SourceKind.ORGANIZATION: pm.PROV["Organization"],
    SourceKind.OUTLET: pm.PROV["Organization"],
}
SOURCE_ATTRIBUTES = {
    "kind": "kind",
    "anonymity": "anonymity",
    "anonymity_reason": "anonymityReason",
    "description": "description",
    "affiliation": "affiliation",
    "knowledge": "knowledge",
    "motive": "motive",
    "ground_rules": "groundRules",
}
VERDICT_ATTRIBUTES = {
    "uncorroborated": "uncorroborated",
    "anonymous_only": "anonymousOnly",
    "contradicted": "contradicted",
    "single_intermediary": "singleIntermediary",
    "borrowed_anonymity": "borrowedAnonymity",
}


def outlet_id(name: str) -> str:
    """The publishing outlet's agent id: `outlet:` and its name folded to a key."""
    return "outlet:" + (re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "unnamed")


class _Builder:
    def __init__(self, report: Report) -> None:
        self.report = report
        self.doc = pm.ProvDocument()
        for prefix, uri in NAMESPACES.items():
            self.doc.add_namespace(prefix, uri)
        self.ledger = pm.Namespace("ledger", NAMESPACES["ledger"])
        self.agents: set[str] = set()
        self.entities: set[str] = set()
        self.derivations: set[tuple[str, str, str]] = set()

    def attrs(self, **values: Any) -> dict[Any, Any]:
        """`ledger:` attributes from keyword values, leaving out those not set."""
        return {self.ledger[name]: value for name, value in values.items() if value is not None}

    def build(self) -> pm.ProvDocument:
        articles = [row.article for row in self.report.articles]
        if self.report.article is not None:
            articles = [self.report.article]
        for article in articles:
            self.article(article)
        claimed = {view.ref for view in self.report.claims}
        for view in self.report.claims:
            self.claim(view)
        for view in self.report.claims:
            for link in view.links_out:
                self.foreign(link.other, claimed)
                self.link(view.ref, link.relation.value, link.other)
            for link in view.links_in:
                if link.other not in claimed:
                    self.foreign(link.other, claimed)
                    self.link(link.other, link.relation.value, view.ref)
        return self.doc

    def publisher(self, name: str | None) -> str | None:
        if not name:
            return None
        agent = outlet_id(name)
        if agent not in self.agents:
            self.agents.add(agent)
            self.doc.agent(
                agent,
                {pm.PROV_TYPE: pm.PROV["Organization"], pm.PROV_LABEL: name}
                | self.attrs(kind="outlet"),
            )
        return agent

    def article(self, article: ArticleView) -> None:
        entity = f"article:{article.slug}"
        self.doc.entity(
            entity,
            [
                (pm.PROV_TYPE, pm.PROV["Collection"]),
                (pm.PROV_TYPE, self.ledger["Article"]),
                (pm.PROV_LABEL, article.title),
                *self.attrs(
                    outlet=article.outlet,
                    url=article.url,
                    published=article.published.isoformat() if article.published else None,
                    byline=article.byline,
                    textSha256=article.text_sha256,
                ).items(),
            ],
        )
        self.entities.add(entity)
        agent = self.publisher(article.outlet)
        if agent:
            self.doc.wasAttributedTo(
                entity, agent, other_attributes={pm.PROV_ROLE: self.ledger["publisher"]}
            )

    def source(self, hop: HopView | SourceView) -> str:
        """The agent of a source; one that speaks for another acted on its behalf (PROV
        delegation), so the party's agent is declared too."""
        agent = f"source:{hop.key}"
        if agent in self.agents:
            return agent
        self.agents.add(agent)
        source: SourceView | None = self.report.source(hop.key)
        fields = source.model_dump(mode="json") if source else {"kind": hop.kind.value}
        attributes: dict[Any, Any] = {pm.PROV_LABEL: hop.label}
        if hop.kind in AGENT_TYPES:
            attributes[pm.PROV_TYPE] = AGENT_TYPES[hop.kind]
        attributes |= self.attrs(**{SOURCE_ATTRIBUTES[k]: fields.get(k) for k in SOURCE_ATTRIBUTES})
        attributes[self.ledger["anonymity"]] = hop.anonymity.value
        self.doc.agent(agent, attributes)
        party = self.report.source(source.speaks_for) if source and source.speaks_for else None
        if party is not None:
            self.doc.actedOnBehalfOf(agent, self.source(party))
        return agent

    def claim(self, view: ClaimView) -> None:
        entity = f"claim:{view.ref}"
        verdict = view.verdict
        attributes = {
            pm.PROV_TYPE: self.ledger["Claim"],
            pm.PROV_LABEL: view.key,
            pm.PROV_VALUE: view.text,
        } | self.attrs(
            kind=view.kind.value,
            quote=view.quote,
            cue=view.cue,
            status=verdict.status.value,
            independentOrigins=" ".join(verdict.independent_origins) or None,
            **{attr: getattr(verdict, name) for name, attr in VERDICT_ATTRIBUTES.items()},
        )
        self.doc.entity(entity, attributes)
        self.entities.add(entity)
        self.doc.hadMember(f"article:{view.article}", entity)
        article = self.report.article or next(
            row.article for row in self.report.articles if row.article.slug == view.article
        )
        agent = self.publisher(article.outlet)
        if agent:
            self.doc.wasAttributedTo(
                entity, agent, other_attributes={pm.PROV_ROLE: self.ledger["publisher"]}
            )
        for chain in view.chains:
            self.chain(view, entity, chain)

    def chain(self, view: ClaimView, entity: str, chain: tuple[HopView, ...]) -> None:
        """One statement entity per prefix of the chain, each derived from the next."""
        repeated = entity
        for position, hop in enumerate(chain, start=1):
            statement = "stated:" + "/".join([view.ref, *(h.key for h in chain[:position])])
            origin = position == len(chain)
            if statement not in self.entities:
                self.entities.add(statement)
                self.doc.entity(
                    statement,
                    {
                        pm.PROV_TYPE: self.ledger["Statement"],
                        pm.PROV_LABEL: f"{view.key} as stated by {hop.label}",
                    },
                )
                self.doc.wasAttributedTo(
                    statement,
                    self.source(hop),
                    other_attributes={
                        pm.PROV_ROLE: self.ledger["origin" if origin else "intermediary"]
                    }
                    | self.attrs(cue=hop.cue),
                )
            if origin:
                relation = "hadPrimarySource"
            elif hop.kind is SourceKind.OUTLET:
                relation = "wasQuotedFrom"
            else:
                relation = "wasDerivedFrom"
            if (repeated, statement, relation) not in self.derivations:
                self.derivations.add((repeated, statement, relation))
                getattr(self.doc, relation)(repeated, statement)
            repeated = statement

    def foreign(self, ref: str, claimed: set[str]) -> None:
        """A claim of another article that a link reaches: declared, never left dangling."""
        entity = f"claim:{ref}"
        if ref not in claimed and entity not in self.entities:
            self.entities.add(entity)
            self.doc.entity(entity, {pm.PROV_TYPE: self.ledger["Claim"], pm.PROV_LABEL: ref})

    def link(self, source: str, relation: str, target: str) -> None:
        self.doc.wasInfluencedBy(
            f"claim:{target}",
            f"claim:{source}",
            other_attributes=self.attrs(relation=relation),
        )


def document(report: Report) -> pm.ProvDocument:
    """The report as a PROV document; a `prov` warning (something it would drop) is an error."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", pm.ProvWarning)
        return _Builder(report).build()


def render_json(report: Report) -> str:
    return json_plain(document(report).serialize(indent=2, ensure_ascii=False)) + "\n"


def render_provn(report: Report) -> str:
    # A control character can only stand inside a string literal: it is written out
    # there as `plain` does, its backslash escaped the PROV-N way (`\\x1b`).
    text = document(report).get_provn()
    return CONTROL.sub(lambda match: "\\" + plain(match.group()), text) + "\n"
