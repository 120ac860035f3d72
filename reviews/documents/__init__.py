"""The documents a review produces: its report as a PDF (and, later, other formats)."""
