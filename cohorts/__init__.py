"""Locations, cohorts and their courses; later tablets and volunteers hang off these."""
