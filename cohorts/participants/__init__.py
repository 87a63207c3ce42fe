"""Seniors: registered with consent, checked for duplicates, scoped to their location."""
