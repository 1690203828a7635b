#!/usr/bin/env bash
# Until the first release, the schema lives in one reviewed initial migration. This regenerates it
# from the models against an empty SQLite database. After the first release: add migrations, never regenerate.
set -euo pipefail
cd "$(dirname "$0")/.."
rm -f migrations/versions/*.py
tmp=$(mktemp -d)
export EVENTSYS_DATABASE_URL="sqlite:///$tmp/regen.sqlite3" EVENTSYS_SECRET_KEY=regen
.venv/bin/flask --app eventsys db migrate -m "initial schema" --rev-id 0001
rm -rf "$tmp"
