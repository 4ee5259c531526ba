"""Security rules shared by the API, the pages and the command line."""
