"""The picture: the graph projected onto a network of instrument links, and its drawings.

Owns `projection` (RDF to a networkx graph through SPARQL, filters, measures, the ForceAtlas2
layout), `style` (the node kinds, polarities, colours and legend every picture shares), `figure`
(PNG/SVG/PDF figures of a given size and resolution, labels that do not overlap), `timeline`
(the stance timeline of one target), `page` (the interactive HTML page, with `assets/` its
script and style and `vendor/` the pinned Cytoscape.js it inlines) and `formats` (GraphML, GEXF,
Cytoscape.js JSON, and writing a file by its suffix).  Within the room:
style <- projection <- figure <- timeline; projection <- page; figure, page <- formats.

May import: `normgraph.rdf`, `normgraph.sparql` and the shared modules; it reads the graph
as RDF and never reaches into `text` or `extract`.
"""
