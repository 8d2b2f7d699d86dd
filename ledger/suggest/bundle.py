"""A draft as a bundle: its fields, and the YAML that carries the reasons as comments.

The draft is an ordinary bundle (it validates and imports) with its reasons in
YAML comments: the sentence each claim comes from, how each speaker was
resolved, and the words behind each kind and anonymity guess. Comments are
the only place for them, since bundle fields are closed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from ledger.suggest.sources import SourceDraft
from ledger.wording import plain, yaml_style


@dataclass
class ClaimDraft:
    """A suggested claim: bundle fields plus the notes shown as comments."""

    key: str
    text: str
    quote: str
    cue: str
    chains: list[list[str]]
    start: int
    end: int
    why: list[str] = field(default_factory=list)


@dataclass
class Draft:
    """A draft bundle: the article, the sources to define, the claims."""

    article: dict[str, Any]
    sources: list[SourceDraft]
    claims: list[ClaimDraft]
    header: list[str] = field(default_factory=list)

    def document(self) -> dict[str, Any]:
        """The draft as plain bundle data (what `to_yaml` writes, without comments)."""
        return {
            "version": 1,
            "article": self.article,
            "sources": [_source_fields(s) for s in self.sources if not s.existing],
            "claims": [_claim_fields(c) for c in self.claims],
        }

    def to_yaml(self) -> str:
        return render(self)


def _source_fields(source: SourceDraft) -> dict[str, Any]:
    fields: dict[str, Any] = {
        "key": source.key,
        "label": source.label,
        "kind": source.kind,
        "anonymity": source.anonymity,
    }
    if source.anonymity_reason:
        fields["anonymity_reason"] = source.anonymity_reason
    if source.description:
        fields["description"] = source.description
    if source.knowledge:
        fields["knowledge"] = source.knowledge
    if source.speaks_for is not None:
        fields["speaks_for"] = source.speaks_for.key
    return fields


def _claim_fields(claim: ClaimDraft) -> dict[str, Any]:
    return {
        "key": claim.key,
        "text": claim.text,
        "quote": claim.quote,
        "cue": claim.cue,
        "attributions": claim.chains,
    }


class _Dumper(yaml.SafeDumper):
    """Block style for multi-line text, so an inline article text stays readable; control
    characters escaped (`ledger.wording.yaml_style`)."""


_Dumper.add_representer(
    str,
    lambda dumper, value: dumper.represent_scalar(
        "tag:yaml.org,2002:str", value, style=yaml_style(value)
    ),
)


def _scalar(value: Any) -> str:
    dumped = yaml.dump(
        value, Dumper=_Dumper, allow_unicode=True, width=10**6, default_flow_style=True
    )
    return dumped.removesuffix("\n...\n").rstrip("\n")


def _comment(text: str, indent: str) -> str:
    """One comment line: words from the article never break the line nor reach the terminal
    as control characters (the draft is printed to stdout)."""
    return f"{indent}# " + plain(" ".join(text.split())) + "\n"


def render(draft: Draft) -> str:
    """The draft as YAML text: the bundle fields, with the reasons as comments."""
    out = [_comment(line, "") for line in draft.header]
    out.append("version: 1\narticle:\n")
    for name, value in draft.article.items():
        if name == "text":
            block = yaml.dump({"text": value}, Dumper=_Dumper, allow_unicode=True, width=10**6)
            out.append("".join(f"  {line}\n" for line in block.rstrip("\n").split("\n")))
        else:
            out.append(f"  {name}: {_scalar(str(value))}\n")
    defined = [s for s in draft.sources if not s.existing]
    reused = [s for s in draft.sources if s.existing]
    if reused:
        out.append(_comment("already in the ledger: " + ", ".join(s.key for s in reused), ""))
    out.append("sources:\n" if defined else "sources: []\n")
    for source in defined:
        out.extend(_comment(line, "  ") for line in source.why)
        for index, (name, value) in enumerate(_source_fields(source).items()):
            out.append(f"  {'- ' if index == 0 else '  '}{name}: {_scalar(value)}\n")
    out.append("claims:\n" if draft.claims else "claims: []\n")
    for claim in draft.claims:
        out.extend(_comment(line, "  ") for line in claim.why)
        for index, (name, value) in enumerate(_claim_fields(claim).items()):
            lead = "- " if index == 0 else "  "
            if name == "attributions":
                out.append(f"  {lead}attributions:\n")
                out.extend(f"      - [{', '.join(chain)}]\n" for chain in value)
            else:
                out.append(f"  {lead}{name}: {_scalar(value)}\n")
    return "".join(out)
