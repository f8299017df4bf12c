"""Partnerships, goals, plans and check-ins arrive with their own issues."""
