"""Views: thin wiring of requests to selectors, services and templates."""
