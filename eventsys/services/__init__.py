"""Domain logic. Pure modules (badges, schedule_xml) never import flask; the rotation planner is the `eventsys.planner` package."""
