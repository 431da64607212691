"""Reading a text: the document and its sidecar, front and back matter, clauses and sentences.

Owns `documents` (a text file and its `NAME.meta.toml` into a `records.Document`), `layout`
(the grammar of a page: numbers, headings, datelines, closing formulas) and `segment` (clauses
and sentences with exact code-point offsets).

May import: the shared modules at the top of the package (`records`, `errors`, `namespace`,
`resources`).  Nothing here knows about stances, RDF, SPARQL or pictures.
"""
