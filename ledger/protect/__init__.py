"""Source protection: sealed identities, clearances, and public (pseudonymised) exports."""
