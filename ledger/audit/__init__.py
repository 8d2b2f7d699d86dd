"""The tamper-evident trail: hash-chained events, entity states, replay and verification."""
