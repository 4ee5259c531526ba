"""Business rules: plain functions over a session, called by views, the CLI and tests."""
