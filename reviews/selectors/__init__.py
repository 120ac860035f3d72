"""Reads of the reviews app, one module per concern: returns (annual returns and ratings),
figures (what the assessment, the gap lists and the enterprise list share), assessment, gaps,
dashboard, programme_reviews, and enterprise_years (what the enterprise pages show of returns).
Every read is scoped to what the viewer may see (enterprises.selectors.visible_enterprises)."""
