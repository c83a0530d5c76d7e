"""Exports, dataset metadata, the release folder and the documentation."""
