"""Domain logic: the rules, DB-aware (flush, never commit). Pure renderers are in `eventsys.render`; the rotation planner is the `eventsys.planner` package."""
