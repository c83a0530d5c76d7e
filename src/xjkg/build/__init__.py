"""Building the graph from a corpus, writing it, and the coverage of its numbers."""
