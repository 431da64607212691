"""The picture: the graph projected onto a network of instrument links, and its drawings.

Owns `projection` (RDF to a networkx graph through SPARQL, filters, measures, layout), `style`
(the node kinds, polarities and colours every picture shares), `formats` (GraphML, GEXF,
Cytoscape.js JSON, PNG/SVG, and writing a file by its suffix) and `page` (the interactive
HTML page).  Within the room: style <- projection <- page <- formats.

May import: `normgraph.rdf`, `normgraph.sparql` and the shared modules; it reads the graph
as RDF and never reaches into `text` or `extract`.
"""
