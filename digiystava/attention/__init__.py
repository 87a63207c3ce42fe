"""What needs the coordinator's or a trainer's attention, for the home page and the JSON API."""
