"""Demo catalog data: categories, booths and products of the import hall, as JSON."""
