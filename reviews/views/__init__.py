"""Views of the reviews app, one module per concern: dashboard, gaps, returns,
programme_reviews and report. Thin: they wire requests to selectors, services and templates."""
