"""Domain logic. Pure modules (rotation, ical, badges, programme_pdf, schedule_xml) never import flask."""
