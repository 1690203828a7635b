"""Domain logic. Pure modules (badges) never import flask; the others are in `eventsys.render`; the rotation planner is the `eventsys.planner` package."""
