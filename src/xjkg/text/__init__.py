"""The report's text and the quantities read from it."""
