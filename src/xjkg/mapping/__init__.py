"""A corpus of reports, their mappings into a typed model, and drafting a new report's mapping."""
