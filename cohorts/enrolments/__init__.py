"""Enrolment with capacity and a waiting list, and attendance per session."""
