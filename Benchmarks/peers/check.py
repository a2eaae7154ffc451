"""Checks that triage's decisions and a peer's output agree on the fields both produce:
python3 check.py OURS.jsonl PEER.jsonl [PEER.jsonl ...]   (exit 1 when any field disagrees beyond the notes)"""
import json, sys
from datetime import datetime

def ours(path):
    out = {}
    for line in open(path):
        d = json.loads(line)
        if d["duplicate"] or d["incident_id"] in out:
            continue
        to = {r["to"] for r in d["routes"]}
        school = [int(datetime.fromisoformat(r["notify_by"]).timestamp()) for r in d["routes"] if r["to"] == "school"]
        out[d["incident_id"]] = dict(
            household_incidents=d["history"]["household_incidents"], household_score=d["history"]["household_score"],
            to_school="school" in to, to_health_visitor="health_visitor" in to, to_marac="marac" in to,
            school_notify_by=min(school) if school else None, out_of_order=d["out_of_order"])
    return out

mine = ours(sys.argv[1])
ok = True
for peer_path in sys.argv[2:]:
    diffs = {k: 0 for k in ["missing", "household_incidents", "household_score", "to_school", "to_health_visitor", "to_marac", "school_notify_by"]}
    n = 0
    for line in open(peer_path):
        p = json.loads(line)
        n += 1
        m = mine.get(p["incident_id"])
        if m is None:
            diffs["missing"] += 1
            continue
        if p["household_incidents"] != m["household_incidents"]: diffs["household_incidents"] += 1
        if abs(p["household_score"] - m["household_score"]) > 0.0015: diffs["household_score"] += 1
        if bool(p["to_school"]) != m["to_school"]: diffs["to_school"] += 1
        if bool(p["to_health_visitor"]) != m["to_health_visitor"]: diffs["to_health_visitor"] += 1
        if p["to_marac"] and not m["to_marac"]: diffs["to_marac"] += 1  # triage has more MARAC rules: peer's must be a subset
        if p["to_school"] and p["school_notify_by"] != m["school_notify_by"]: diffs["school_notify_by"] += 1
    bad = sum(diffs.values())
    # Incidents at one household at the same instant can be counted either way by a SQL window (it sees
    # later rows of the same instant); allow a few in a million.
    tolerance = max(1, n // 20000)
    status = "agree" if bad <= tolerance else "DISAGREE"
    if bad > tolerance: ok = False
    print(f"{peer_path}: {n} incidents, {status}; differences: " + ", ".join(f"{k} {v}" for k, v in diffs.items()))
sys.exit(0 if ok else 1)
