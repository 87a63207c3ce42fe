"""Cohorts: 10-week courses at a location, their weekly sessions, calendars and printables."""
