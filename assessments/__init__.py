"""Skill self-assessments: the versioned 13-skill instrument and seniors' answers."""
