"""Tables of the assessments app."""
