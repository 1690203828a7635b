"""Domain logic. Pure modules (ical, badges, programme_pdf, schedule_xml) never import flask; the rotation planner is the `eventsys.planner` package."""
