"""Speed-networking activities, stations, participants and plans (the networking area fills this module)."""
