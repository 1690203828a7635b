"""Pure renderers: plain data in, bytes or markup out; no flask, no database (architecture rule 3)."""
