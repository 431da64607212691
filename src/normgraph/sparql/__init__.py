"""Asking the graph: stored queries, pushing into SPARQL stores, the local read-only endpoint.

Owns `query` (stored `.rq` files, parameters bound as RDF terms, local engines and remote
endpoints, result tables), `store` (`push`: Graph Store Protocol or SPARQL Update, idempotent)
and `serve` (a read-only endpoint on loopback).

May import: `normgraph.rdf` (and what it may import) and the shared modules.  Never `network`.
"""
