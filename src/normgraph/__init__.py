"""normgraph: diplomatic texts to an RDF knowledge graph of norms, instruments and stances."""

__version__ = "0.1.0"
