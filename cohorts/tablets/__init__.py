"""Tablet inventory and loans: donations, tablets, labels, loans, returns, reminders and donor reports."""
