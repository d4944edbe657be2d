"""What other stations file in the registry: the one way an enterprise enters it from a
hand-off (a lead reaching production, a key project finished), never by writing the row."""

from __future__ import annotations

from .models import Enterprise


def file_enterprise(uscc: str, name: str, name_en: str, industry_id: int, park_id: int):
    """The enterprise with ``uscc``, created with these particulars if the registry has none;
    an enterprise already filed keeps its industry and park and gains only the names it
    lacks. ValidationError when the particulars cannot be filed."""
    enterprise = Enterprise.objects.filter(uscc=uscc).first() or Enterprise(
        uscc=uscc, industry_id=industry_id, park_id=park_id
    )
    enterprise.name = enterprise.name or name
    enterprise.name_en = enterprise.name_en or name_en
    enterprise.full_clean()
    enterprise.save()
    return enterprise
