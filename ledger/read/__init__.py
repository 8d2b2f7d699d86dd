"""Every query: the facts the rules judge, lists and details, the ledger-wide flagged views."""
