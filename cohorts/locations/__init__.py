"""Locations: the community houses, service centres and libraries where cohorts meet."""
