"""Claim ledger: a claim-level provenance ledger for newsrooms.

The library is usable without the CLI: `ledger.db.Database` opens a ledger,
`ledger.store` writes, `ledger.query` reads, `ledger.rules` judges. Nothing is
imported here eagerly, so that `ledger --help` starts without SQLAlchemy.
"""

__version__ = "0.1.0"
