"""Forms of the reviews app, one module per concern: returns and programme_reviews."""
