"""Formats in and out: files <-> plain rows. Pure: no flask, no database.

`rows` holds what every reader produces (ImportRow, ParsedFile, Issue…); one module per format
family reads files into them (services/importer.py for spreadsheets and schedule XML/JSON,
`ical` for calendars).
"""
