"""Demo products, one JSON file per booth."""
