"""Request and response shapes: they validate input and generate the OpenAPI document."""
