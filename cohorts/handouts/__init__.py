"""Handouts: the beginner's and trainer's guides and the digital friend cards, tailored per cohort and senior."""
