"""Registrations (the registration area fills this module)."""
