"""Writes of the reviews app that have a rule, one module per concern: returns (annual
returns and their ratings) and programme_reviews."""
