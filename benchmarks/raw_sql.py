"""Hand-written SQLite SQL for the raw-sqlite3 floor: each statement answers what a ledger
operation answers (claims with their status and flags, the count, the page), written the way a
competent developer would write it directly against the ledger's tables.

The same text runs through `sqlite3` in-process and through `sqlite-utils query` as a
process, so the floor owes nothing to the ledger's code. Parameters are named (`:slug`).
"""

from __future__ import annotations

# Support of a claim `c`: distinct origins of its own chains and of live claims linked
# `corroborates` to it. Lent origins already among its own are left out, so that a
# plain count is the number of distinct origins.
SUPPORT_SIZE = """
  (SELECT count(DISTINCT h.source_id) FROM hops h WHERE h.claim_id = c.id AND h.is_origin)
+ (SELECT count(DISTINCT h2.source_id) FROM links l
     JOIN claims s ON s.id = l.from_claim_id AND s.retracted_reason IS NULL
     JOIN hops h2 ON h2.claim_id = l.from_claim_id AND h2.is_origin
   WHERE l.to_claim_id = c.id AND l.relation = 'corroborates'
     AND h2.source_id NOT IN (SELECT h3.source_id FROM hops h3
                              WHERE h3.claim_id = c.id AND h3.is_origin))"""

NAMED_SUPPORT = """
  EXISTS (SELECT 1 FROM hops h JOIN sources n ON n.id = h.source_id
          WHERE h.claim_id = c.id AND h.is_origin AND n.anonymity = 'named')
  OR EXISTS (SELECT 1 FROM links l
             JOIN claims s ON s.id = l.from_claim_id AND s.retracted_reason IS NULL
             JOIN hops h ON h.claim_id = l.from_claim_id AND h.is_origin
             JOIN sources n ON n.id = h.source_id
             WHERE l.to_claim_id = c.id AND l.relation = 'corroborates'
               AND n.anonymity = 'named')"""

CONTRADICTED = """
  EXISTS (SELECT 1 FROM links l JOIN claims o ON o.id = l.to_claim_id
          WHERE l.from_claim_id = c.id AND l.relation = 'contradicts'
            AND o.retracted_reason IS NULL)
  OR EXISTS (SELECT 1 FROM links l JOIN claims o ON o.id = l.from_claim_id
             WHERE l.to_claim_id = c.id AND l.relation = 'contradicts'
               AND o.retracted_reason IS NULL)"""

SINGLE_INTERMEDIARY = """
  (SELECT count(*) >= 2
          AND count(*) = (SELECT count(*) FROM hops p WHERE p.claim_id = c.id AND p.position = 1)
          AND count(DISTINCT h.source_id) = 1
   FROM hops h WHERE h.claim_id = c.id AND h.position = 0)"""

BORROWED_ANONYMITY = """
  EXISTS (SELECT 1 FROM hops o JOIN sources os ON os.id = o.source_id
          JOIN hops r ON r.claim_id = o.claim_id AND r.chain = o.chain AND r.position < o.position
          JOIN sources rs ON rs.id = r.source_id
          WHERE o.claim_id = c.id AND o.is_origin AND os.anonymity <> 'named'
            AND rs.kind = 'outlet')"""

CHAINS = """
  (SELECT group_concat(keys, ' | ') FROM
     (SELECT group_concat(s.key, ' < ') AS keys FROM
        (SELECT h.chain, s.key FROM hops h JOIN sources s ON s.id = h.source_id
         WHERE h.claim_id = c.id ORDER BY h.chain, h.position) AS s
      GROUP BY s.chain))"""

VERDICT_COLUMNS = f"""
  a.slug, c.key, c.text, c.kind, c.cue, {CHAINS} AS chains, v.support,
  CASE WHEN v.support >= :threshold THEN 'corroborated'
       WHEN v.support >= 1 THEN 'single-source' ELSE 'unattributed' END AS status,
  c.kind = 'fact' AND v.support < :threshold AS uncorroborated,
  v.support > 0 AND NOT ({NAMED_SUPPORT}) AS anonymous_only,
  {CONTRADICTED} AS contradicted,
  coalesce({SINGLE_INTERMEDIARY}, 0) AS single_intermediary,
  {BORROWED_ANONYMITY} AS borrowed_anonymity"""

_SCOPED = f"""
SELECT * FROM (
  SELECT {VERDICT_COLUMNS}
  FROM claims c JOIN articles a ON a.id = c.article_id
  JOIN (SELECT c.id, {SUPPORT_SIZE} AS support FROM claims c WHERE {{scope}}) v ON v.id = c.id
  WHERE c.retracted_reason IS NULL
  ORDER BY a.slug, c.id
) WHERE {{flag}}"""

ARTICLE_SCOPE = "c.article_id = (SELECT id FROM articles WHERE slug = :slug)"
SOURCE_SCOPE = "c.id IN (SELECT claim_id FROM hops WHERE source_id = (SELECT id FROM sources WHERE key = :key))"
FLAGS = {"": "1", "uncorroborated": "uncorroborated", "anonymous-only": "anonymous_only"}
FLAGS["contradicted"] = "contradicted"


def article_claims(flag: str = "") -> str:
    """`ledger claims --article SLUG [--FLAG]` (parameters :slug, :threshold)."""
    return _SCOPED.format(scope=ARTICLE_SCOPE, flag=FLAGS[flag])


def source_claims(flag: str = "") -> str:
    """`ledger claims --source KEY [--FLAG]` (parameters :key, :threshold)."""
    return _SCOPED.format(scope=SOURCE_SCOPE, flag=FLAGS[flag])


COUNT_UNCORROBORATED = f"""
SELECT count(*) FROM claims c
WHERE c.retracted_reason IS NULL AND c.kind = 'fact' AND {SUPPORT_SIZE} < :threshold"""

# CROSS JOIN makes SQLite walk articles in slug order and stop after the page.
FIRST_PAGE = f"""
SELECT {VERDICT_COLUMNS}
FROM articles a CROSS JOIN claims c ON c.article_id = a.id
JOIN (SELECT c.id, {SUPPORT_SIZE} AS support FROM claims c) v ON v.id = c.id
WHERE c.retracted_reason IS NULL AND c.kind = 'fact' AND v.support < :threshold
ORDER BY a.slug, c.id LIMIT 50"""

ARTICLE_SOURCES = """
SELECT s.key, s.label, s.kind, s.anonymity, s.anonymity_reason,
       count(DISTINCT CASE WHEN h.is_origin THEN h.claim_id END) AS originates,
       count(DISTINCT CASE WHEN NOT h.is_origin THEN h.claim_id END) AS relays
FROM claims c JOIN hops h ON h.claim_id = c.id JOIN sources s ON s.id = h.source_id
WHERE c.article_id = (SELECT id FROM articles WHERE slug = :slug)
GROUP BY s.id ORDER BY s.key"""
