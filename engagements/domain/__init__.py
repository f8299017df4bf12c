"""Pure rules, no ORM queries: schedules, plan changes, goal status. Import the modules directly."""
