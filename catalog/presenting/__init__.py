"""Models turned into the JSON the API, the pages, the on-air cards and the command line show."""
