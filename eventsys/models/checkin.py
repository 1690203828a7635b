"""Check-in history and staff tokens (the badges/check-in area fills this module)."""
