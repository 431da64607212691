#!/usr/bin/env python3
"""Score the stances in a knowledge graph against gold annotations.

    score_stances.py GRAPH.ttl GOLD.stances.jsonl [--entities GOLD.entities.json] [--json]
                     [--text DOC.txt --clauses GOLD.clauses.json]

GRAPH is any RDF file rdflib can parse (format guessed from the suffix).
It must follow the core vocabulary of SPEC.md: ng:Stance with ng:stanceType,
ng:target, ng:inClause, ng:polarity; clauses with ng:number; targets with
rdfs:label / skos:prefLabel / skos:altLabel.

Scoring (see gold/README.md): a predicted stance matches a gold row when the
clause number is the same, the polarity is the same, and one of the target's
labels matches one of the gold labels (normalised equality, whole-word
containment, or content-word Jaccard >= 0.6).  Rows marked "required": false
are optional: matching them is neither rewarded nor punished.
With --text and --clauses (a JSON object: gold clause id -> the first words
of that clause as they stand in DOC.txt), a predicted stance is placed in a
gold clause by where its words stand in the document (ng:start, else its
ng:evidence, else its clause's text), so the extractor's own clause numbering
does not matter.
Prints precision, recall and F1 at two levels: polarity (clause, target,
polarity) and type (clause, target, stance type), overall and for core
targets (principle, instrument, practice, party) and concepts.
"""
import argparse
import json
import re
import sys
import unicodedata
from collections import defaultdict

try:
    import rdflib
    from rdflib.namespace import RDF, RDFS, SKOS
except ImportError:  # pragma: no cover
    sys.exit("score_stances.py needs rdflib: pip install rdflib")

NG = rdflib.Namespace("https://w3id.org/normgraph/ontology#")
POLARITY = {"reaffirm": "positive", "support": "positive", "commit": "positive", "respect": "positive",
            "welcome": "positive", "call_for": "positive", "emphasize": "positive",
            "recall": "neutral", "recognize": "neutral",
            "oppose": "negative", "condemn": "negative", "concern": "negative"}
CORE = {"principle", "instrument", "practice", "party"}
STOP = {"the", "of", "a", "an", "and", "in", "on", "to", "for", "by", "with", "its", "their", "all",
        "principle", "principles", "states", "state", "un", "united", "nations"}


def norm(s):
    s = unicodedata.normalize("NFKC", str(s)).lower()
    s = s.replace("\u2019", "'").replace("\u2018", "'")
    s = re.sub(r"[\u2010-\u2015-]", " ", s)
    s = re.sub(r"[^\w' ]+", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^(the|principle of|the principle of) ", "", s)
    return s


def content(s):
    return {w for w in norm(s).split() if w not in STOP}


def label_match(a, b):
    a, b = norm(a), norm(b)
    if not a or not b:
        return False
    if a == b:
        return True
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 4 and re.search(r"(^| )" + re.escape(short) + r"( |$)", long_):
        return True
    ca, cb = content(a), content(b)
    if ca and cb and len(ca & cb) / len(ca | cb) >= 0.6:
        return True
    return False


def any_match(labels_a, labels_b):
    return any(label_match(x, y) for x in labels_a for y in labels_b)


def local(iri):
    return re.split(r"[#/]", str(iri))[-1]


def snake(name):
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def class_closure(g):
    sup = defaultdict(set)
    for s, o in g.subject_objects(RDFS.subClassOf):
        sup[s].add(o)

    def up(c, seen=None):
        seen = seen or set()
        for p in sup.get(c, ()):
            if p not in seen:
                seen.add(p)
                up(p, seen)
        return seen
    return up


def target_type(g, t, up):
    kinds = set()
    for c in g.objects(t, RDF.type):
        for k in {c} | up(c):
            kinds.add(local(k).lower())
    for k in ("principle", "instrument", "practice", "party", "concept"):
        if k in kinds:
            return k
    if {"state", "organization", "organisation"} & kinds:
        return "party"
    return "other"


def labels_of(g, t):
    out = [str(o) for p in (RDFS.label, SKOS.prefLabel, SKOS.altLabel) for o in g.objects(t, p)]
    return out or [local(t).replace("-", " ")]


def clause_locator(text, anchors):
    """Map a character position in text to the gold clause id whose span holds it."""
    starts = []
    for cid, a in anchors.items():
        m = re.search(r"(?m)^[ \t]*" + re.escape(a.strip()), text)
        if m is None:
            sys.exit(f"clause {cid}: its first words {a!r} are not at the start of a line of the text")
        starts.append((m.start(), cid))
    starts.sort()

    def locate(pos):
        found = None
        for start, cid in starts:
            if start <= pos:
                found = cid
        return found
    return locate


def position(g, s, clause, text):
    start = g.value(s, NG.start)
    if start is not None:
        return int(start)
    ev = g.value(s, NG.evidence)
    if ev is not None and str(ev) in text:
        return text.index(str(ev))
    cstart = g.value(clause, NG.start) if clause is not None else None
    if cstart is not None:
        return int(cstart)
    ctext = g.value(clause, NG.text) if clause is not None else None
    if ctext is not None and str(ctext) in text:
        return text.index(str(ctext))
    return None


def predictions(g, text=None, locate=None):
    up = class_closure(g)
    preds = []
    for s in g.subjects(RDF.type, NG.Stance):
        clause = g.value(s, NG.inClause)
        num = g.value(clause, NG.number) if clause is not None else None
        st = g.value(s, NG.stanceType)
        t = g.value(s, NG.target)
        if locate is not None:
            pos = position(g, s, clause, text)
            num = locate(pos) if pos is not None else None
        if num is None or st is None or t is None:
            continue
        stype = snake(local(st))
        pol = g.value(s, NG.polarity)
        pol = local(pol).lower() if pol is not None else POLARITY.get(stype, "neutral")
        preds.append({"clause": str(num), "type": stype, "polarity": pol, "target": t,
                      "labels": labels_of(g, t), "ttype": target_type(g, t, up)})
    return preds


def prf(tp, fp, fn):
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


def score(preds, gold, level):
    """level 'polarity' or 'type'; returns metrics and the lists of misses."""
    key = (lambda p: (p["clause"], p["target"], p["polarity"])) if level == "polarity" else \
          (lambda p: (p["clause"], p["target"], p["type"]))
    uniq = {}
    for p in preds:
        uniq.setdefault(key(p), p)
    preds = list(uniq.values())
    gold_items = []
    for g in gold:
        if level == "type":
            gold_items.append(dict(g, ok=lambda p, g=g: p["type"] in g["types"]))
        else:
            gold_items.append(dict(g, ok=lambda p, g=g: p["polarity"] == g["polarity"]))
    matched_gold, fp, tp_rows = set(), [], []
    for p in preds:
        cands = [i for i, g in enumerate(gold_items)
                 if g["clause"] == p["clause"] and g["ok"](p) and any_match(p["labels"], g["labels"])]
        free = [i for i in cands if i not in matched_gold and gold_items[i]["required"]]
        if free:
            matched_gold.add(free[0])
            tp_rows.append((p, gold_items[free[0]]))
        elif cands:
            pass  # matches an optional row, or a row already matched: neutral
        else:
            fp.append(p)
    fn = [g for i, g in enumerate(gold_items) if g["required"] and i not in matched_gold]

    def sub(types):
        tp = sum(1 for p, g in tp_rows if g["target_type"] in types)
        fpn = sum(1 for p in fp if p["ttype"] in types or (p["ttype"] == "other" and "concept" in types))
        fnn = sum(1 for g in fn if g["target_type"] in types)
        return prf(tp, fpn, fnn)
    return {"all": prf(len(tp_rows), len(fp), len(fn)), "core": sub(CORE), "concept": sub({"concept"})}, fp, fn


def entity_recall(g, inventory):
    """Recall of the inventory among the entities the document's clauses mention or its stances target."""
    up = class_closure(g)
    nodes = defaultdict(list)
    linked = set(g.objects(None, NG.mentions)) | set(g.objects(None, NG.target))
    for t in linked:
        nodes[target_type(g, t, up)].append(labels_of(g, t))
    out = {}
    for kind, groups in inventory["entities"].items():
        found = [grp for grp in groups if any(any_match(lbls, grp) for lbls in nodes.get(kind, []))]
        missing = [grp[0] for grp in groups if grp not in found]
        out[kind] = {"recall": round(len(found) / len(groups), 3), "found": len(found), "of": len(groups),
                     "missing": missing}
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("graph")
    ap.add_argument("gold")
    ap.add_argument("--entities")
    ap.add_argument("--json", action="store_true")
    ap.add_argument("--show", action="store_true", help="list false positives and misses")
    ap.add_argument("--text", help="the document text the graph was extracted from")
    ap.add_argument("--clauses", help="gold clause id -> first words of the clause (JSON)")
    a = ap.parse_args()
    g = rdflib.Graph()
    g.parse(a.graph)
    gold = [json.loads(l) for l in open(a.gold, encoding="utf-8") if l.strip()]
    text = locate = None
    if a.text and a.clauses:
        text = open(a.text, encoding="utf-8").read()
        locate = clause_locator(text, json.load(open(a.clauses, encoding="utf-8")))
    preds = predictions(g, text, locate)
    result = {"predicted_stances": len(preds)}
    for level in ("polarity", "type"):
        m, fp, fn = score(preds, gold, level)
        result[level] = m
        if a.show and level == "polarity":
            result["false_positives"] = [f'{p["clause"]}: {p["polarity"]} {p["labels"][0]}' for p in fp]
            result["missed"] = [f'{x["clause"]}: {x["polarity"]} {x["labels"][0]}' for x in fn]
    if a.entities:
        result["entities"] = entity_recall(g, json.load(open(a.entities, encoding="utf-8")))
    if a.json:
        print(json.dumps(result, indent=1, ensure_ascii=False))
        return
    print(f'predicted stances: {result["predicted_stances"]}')
    for level in ("polarity", "type"):
        for part in ("all", "core", "concept"):
            m = result[level][part]
            print(f'{level:8} {part:7} P={m["precision"]:.3f} R={m["recall"]:.3f} F1={m["f1"]:.3f} '
                  f'(tp={m["tp"]} fp={m["fp"]} fn={m["fn"]})')
    for k in ("false_positives", "missed"):
        if k in result:
            print(f"{k}:")
            for row in result[k]:
                print("  " + row)
    if "entities" in result:
        for kind, m in result["entities"].items():
            print(f'entities {kind:10} recall={m["recall"]:.3f} ({m["found"]}/{m["of"]}) missing: {m["missing"]}')


if __name__ == "__main__":
    main()
