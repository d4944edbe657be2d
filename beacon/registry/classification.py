"""GB/T 4754-2017, shipped with Beacon as reference data (``data/gbt4754_2017.csv``)."""

import csv
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"


def read_classification() -> list[dict]:
    notes = {}
    with open(DATA / "gbt4754_2017_notes.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            notes[row["code"]] = row["note_zh"]
    with open(DATA / "gbt4754_2017.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["note"] = notes.get(row["code"], "")
    return rows


def load_classification(IndustryClass) -> int:
    """Insert the codes that are missing, parents first; existing codes are left as edited."""
    existing = dict(IndustryClass.objects.values_list("code", "pk"))
    created = 0
    for row in read_classification():  # the file lists every parent before its children
        if row["code"] in existing:
            continue
        obj = IndustryClass.objects.create(
            code=row["code"],
            name=row["name_zh"],
            level=row["level"],
            parent_id=existing.get(row["parent_code"]) if row["parent_code"] else None,
            section=row["section"],
            note=row["note"],
        )
        existing[obj.code] = obj.pk
        created += 1
    return created
