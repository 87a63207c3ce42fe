"""Digiystävä tracker: cohorts, tablets, volunteers, skills and outcome reports."""

__version__ = "0.1.0"
