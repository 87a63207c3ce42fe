"""Staff accounts: users, roles, browser sessions, API tokens, login throttling and the audit log."""
