"""Finding what a text says: vocabulary matchers, mentions, holders, cues, stances, relations.

Owns `vocabulary` (ontology/*.ttl loaded into phrase matchers, leaders by surname), `mentions`
(the entities a clause names) with `symbols` (instruments cited by UN document symbol),
`parties` (the authors and the holder of each sentence), `cues` (the lexicon of stance
expressions), `stances` (the reading of a clause into stances), `targets`, `phrases` and
`items` (the objects of a stance: enumerations, attachments, new practices and concepts),
`relations` (typed links between norms) and `align` (a report's paragraphs to its source).
Its output is a `records.Extraction`: plain typed records with offsets, no RDF.

May import: `normgraph.text` and the shared modules.  Never `rdf`, `sparql` or `network`.
"""
