"""Users, postings (user ↔ office ↔ role), login, MFA, API tokens."""
