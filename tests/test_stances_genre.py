"""Regression tests from texts by other authors, one construct of the genre each (issue 12).

Each case is a clause as it stands in a real document (named with its corpus), read with the
sidecar facts that document has, and the stances it must give: holder set, stance type,
polarity and target.  The corpora are ../shared/corpora (White House joint statements, UN General
Assembly resolutions of the 80th session, UN General Debate speeches).
"""
from __future__ import annotations

from pathlib import Path

import pytest

from normgraph.pipeline import extract_document

CASES = [
    # (document, sidecar, clause text, [(holders, type, polarity, target label)])
    ("wh-joint-statements/2022-05-23-japan-u-s-joint-leaders-statement-strengthening-the-free-and-open-"
     "international-order",
     {"parties": ["JPN", "USA"], "genre": "joint-statement", "date": "2022-05-23"},
     "Prime Minister Kishida expressed his support for President Biden’s Indo-Pacific Economic Framework (IPEF), "
     "and the two leaders welcomed the launch of discussions among IPEF partners toward future negotiations.",
     [({"JPN"}, "Support", "Positive", "Indo-Pacific Economic Framework")]),
    ("wh-joint-statements (a leader named by title holds for that leader's State alone)",
     {"parties": ["JPN", "USA"], "genre": "joint-statement", "date": "2021-04-16"},
     "President Biden condemned the coup in Myanmar and the Myanmar military’s brutal attacks on civilians.",
     [({"USA"}, "Condemn", "Negative", "coup in Myanmar")]),
    ("unga-80/A_RES_80_1 (a preambular participle is the General Assembly's)",
     {"parties": ["UNGA"], "genre": "resolution", "date": "2025-09-08"},
     "Reaffirming the purposes and principles of the Charter of the United Nations,",
     [({"UNGA"}, "Reaffirm", "Positive", "Charter of the United Nations")]),
    ("unga-80/A_RES_80_26 (an operative verb; an addressee asked to act is not a target)",
     {"parties": ["UNGA"], "genre": "resolution", "date": "2025-12-01"},
     "1. Calls upon all States to take appropriate measures with a view to preventing any dumping of nuclear "
     "or radioactive wastes that would infringe upon the sovereignty of States;",
     [({"UNGA"}, "CallFor", "Negative", "dumping of nuclear or radioactive wastes")]),
    ("unga-80/A_RES_80_4 (resolutions cited by symbol, recalled: neutral)",
     {"parties": ["UNGA"], "genre": "resolution", "date": "2025-10-29"},
     "Recalling its resolutions 47/19 of 24 November 1992, 48/16 of 3 November 1993 and its decision 76/563 "
     "of 11 May 2022,",
     [({"UNGA"}, "Recall", "Neutral", "General Assembly resolution 47/19"),
      ({"UNGA"}, "Recall", "Neutral", "General Assembly resolution 48/16"),
      ({"UNGA"}, "Recall", "Neutral", "General Assembly decision 76/563")]),
    ("wh-joint-statements/2021-03-12-quad-leaders-joint-statement-the-spirit-of-the-quad (elliptic coordination)",
     {"parties": ["QUAD"], "genre": "joint-statement", "date": "2021-03-12"},
     "We support the rule of law, freedom of navigation and overflight, peaceful resolution of disputes, "
     "democratic values, and territorial integrity.",
     [({"QUAD"}, "Support", "Positive", "freedom of navigation"),
      ({"QUAD"}, "Support", "Positive", "freedom of overflight"),
      ({"QUAD"}, "Support", "Positive", "territorial integrity")]),
    ("wh-joint-statements/2021-09-29-u-s-eu-trade-and-technology-council-inaugural-joint-statement "
     "('aim to', a cue grown from the corpora; a reversing verb in the enumeration)",
     {"parties": ["USA", "EU"], "genre": "joint-statement", "date": "2021-09-29"},
     "We aim to protect workers and labor rights, and combat forced and child labor.",
     [({"EU", "USA"}, "Commit", "Positive", "workers and labor rights"),
      ({"EU", "USA"}, "Oppose", "Negative", "forced and child labor")]),
    ("wh-joint-statements/2021-06-15-u-s-eu-summit-statement ('plan to' ... 'step up')",
     {"parties": ["USA", "EU"], "genre": "joint-statement", "date": "2021-06-15"},
     "We plan to actively restore nature for the benefit of the health and well-being of our citizens, and step "
     "up our cooperation on deforestation and wildlife trafficking.",
     [({"EU", "USA"}, "Commit", "Positive", "cooperation on deforestation and wildlife trafficking")]),
    ("wh-joint-statements/2023-02-10-joint-statement-following-the-meeting-between-president-biden-and-president-"
     "lula (several leaders under one title; a named initiative)",
     {"parties": ["USA", "BRA"], "genre": "joint-statement", "date": "2023-02-10"},
     "Presidents Biden and Lula recalled the Joint Initiative on Climate Change established in 2015, which "
     "created the high level United States-Brazil Climate Change Working Group (CCWG).",
     [({"BRA", "USA"}, "Recall", "Neutral", "Joint Initiative on Climate Change")]),
    ("ungdc/2018/CAF_73_2018 (a speech: 'my country' is the speaking State)",
     {"parties": ["CAF"], "genre": "speech", "date": "2018-09-27"},
     "My country supports the position of the African Union, which seeks Africa’s full representation in all "
     "United Nations bodies.",
     [({"CAF"}, "Support", "Positive", "position of the African Union")]),
    ("ungdc/2018/LVA_73_2018 (what must stop is opposed by the speaker)",
     {"parties": ["LVA"], "genre": "speech", "date": "2018-09-27"},
     "The Russian Federation must stop its aggression against Ukraine.",
     [({"LVA"}, "Oppose", "Negative", "aggression")]),
    ("ungdc/2018/BWA_73_2018 (a speech: 'my delegation')",
     {"parties": ["BWA"], "genre": "speech", "date": "2018-09-27"},
     "My delegation remains concerned, however, about the steady decline in resources allocated to peacekeeping.",
     [({"BWA"}, "Concern", "Negative", "steady decline in resources allocated to peacekeeping")]),
    ("ungdc/2020/PHL_75_2020 (a verb of deliverance: opposed is what follows 'from')",
     {"parties": ["PHL"], "genre": "speech", "date": "2020-09-22"},
     "As I said at the Aqaba Process, the Philippines will do everything and partner with anyone who would "
     "sincerely desire to protect the innocent from terrorism in all its manifestations.",
     [({"PHL"}, "Oppose", "Negative", "terrorism")]),
    ("wh-joint-statements/2023-05-20-quad-leaders-joint-statement (an adjective before a reversing noun)",
     {"parties": ["QUAD"], "genre": "joint-statement", "date": "2023-05-20"},
     "We remain deeply concerned by the deteriorating situation in Myanmar and again call for an immediate "
     "cessation of violence.",
     [({"QUAD"}, "CallFor", "Negative", "violence")]),
    ("unga-80/A_RES_80_36 (a conduct of two things distributes over them)",
     {"parties": ["UNGA"], "genre": "resolution", "date": "2025-12-01"},
     "Encourages the countries of the Sahelo-Saharan subregion to facilitate the effective functioning of "
     "national commissions to combat the illicit proliferation of small arms and light weapons;",
     [({"UNGA"}, "CallFor", "Negative", "illicit proliferation of small arms"),
      ({"UNGA"}, "CallFor", "Negative", "illicit proliferation of light weapons")]),
    ("wh-joint-statements/2022-07-16-joint-statement-following-the-summit-of-the-leaders-of-the-united-states-"
     "and-the-gulf-cooperation-council-gcc-countries (a harm names its source; a relative clause is no object)",
     {"parties": ["GCC", "USA"], "genre": "joint-statement", "date": "2022-07-16"},
     "They affirmed their commitment to cooperate and coordinate between their countries to enhance their defense "
     "and joint deterrence capabilities against the increasing threat posed by the proliferation of unmanned "
     "aerial systems and cruise missiles. The leaders welcomed the establishment of Combined Task Force 153 and "
     "Task Force 59, which will enhance joint defense coordination between the GCC member states and the U.S. "
     "Central Command to better monitor maritime threats.",
     [({"GCC", "USA"}, "Emphasize", "Negative", "proliferation of unmanned aerial systems"),
      ({"GCC", "USA"}, "Emphasize", "Negative", "proliferation of cruise missiles"),
      ({"GCC", "USA"}, "Welcome", "Positive", "establishment of Task Force 59")]),
    ("wh-joint-statements/2021-05-21-u-s-rok-leaders-joint-statement (verb phrases listed after an infinitive; "
     "a clause opened by 'while' is no object)",
     {"parties": ["KOR", "USA"], "genre": "joint-statement", "date": "2021-05-21"},
     "We agree to work closely together to promote greater connectivity and foster digital innovation within "
     "ASEAN, while developing deeper people-to-people ties among Americans, Koreans, and the people of Southeast "
     "Asia.",
     [({"KOR", "USA"}, "Commit", "Positive", "greater connectivity"),
      ({"KOR", "USA"}, "Commit", "Positive", "digital innovation within ASEAN")]),
    ("ungdc/1987/QAT_42_1987 (a predicate of concern: the subject is what the speaker is concerned at)",
     {"parties": ["QAT"], "genre": "speech", "date": "1987-09-25"},
     "The Iran-Iraq war is a source of concern and anxiety to my country.",
     [({"QAT"}, "Concern", "Negative", "Iran-Iraq war")]),
]


def _extract(tmp_path: Path, text: str, meta: dict):
    doc = tmp_path / "doc.txt"
    doc.write_text(text + "\n", encoding="utf-8")
    lines = [f'{k} = {v!r}'.replace("'", '"') if k != "date" else f"date = {v}" for k, v in meta.items()]
    (tmp_path / "doc.meta.toml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return extract_document(doc)


@pytest.mark.parametrize("source,meta,text,expected", CASES, ids=[c[0][:60] for c in CASES])
def test_stances_genre_clause_gives_its_stances(tmp_path, source, meta, text, expected):
    ex = _extract(tmp_path, text, meta)
    got = {(frozenset(h.rsplit("/", 1)[-1] for h in s.holders), s.stance_type, s.polarity, s.target.label)
           for s in ex.stances}
    for holders, stance_type, polarity, label in expected:
        assert (frozenset(holders), stance_type, polarity, label) in got, f"{source}: {sorted(got, key=str)}"
    for s in ex.stances:  # the words are the evidence
        assert ex.document.text[s.start:s.end] == s.evidence
