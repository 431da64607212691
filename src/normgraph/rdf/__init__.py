"""The graph: emitting RDF from an extraction, validating it with SHACL, serialising it.

Owns `graph` (an `Extraction` into a document's named graph), `validate` (loading graphs and
the SHACL report in words a person can act on), `fastshapes` (the same shapes compiled into
SPARQL for pyoxigraph, how a build validates each document) and `export` (the six syntaxes,
deterministic).

May import: `normgraph.extract`, `normgraph.text` and the shared modules.  Never `sparql` or
`network`.
"""
