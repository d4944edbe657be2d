"""One claim per company: an open lead of another team or park for the same company (the
same USCC, or a name close enough once normalised) is a rival, flagged for the zone
administration to decide who keeps the company."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import numpy as np
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from beacon.core.validators import normalise_uscc

from .choices import ClaimStatus, Stage
from .models import Lead

# Words every company name carries; two names that differ only in them name one company.
LEGAL_WORDS = (
    "股份有限公司",
    "有限责任公司",
    "有限公司",
    "集团",
    "股份",
    "公司",
    "(中国)",
    "（中国）",
    "co., ltd.",
    "co.,ltd.",
    "co. ltd",
    "company limited",
    "limited",
    "ltd",
    "inc.",
    "inc",
    "corporation",
    "corp.",
    "group",
    "co.",
)
SAME_NAME = 90  # rapidfuzz ratio (0–100) from which two normalised names are one company
SHOWN = 5  # rivals kept per lead, most alike first
NAMES_AT_ONCE = 256  # names compared with every open lead's in one matrix (256 × 40,000 bytes)


def normalise_name(name: str) -> str:
    """A company name without legal-form words, spaces and punctuation, case-folded, with
    full-width characters made half-width (NFKC)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for word in LEGAL_WORDS:
        text = text.replace(unicodedata.normalize("NFKC", word), " ")
    return re.sub(r"[\s\W_]+", "", text)


@dataclass
class Claim:
    """An open lead of another team or park that may be the same company."""

    lead: Lead
    reason: str
    score: float = 100.0


def rival_claims(lead: Lead, limit: int = SHOWN) -> list[Claim]:
    """Open leads, of another team or another proposed park, for the same company as
    ``lead`` (saved or not): the same USCC, or a name (Chinese or English) at least
    ``SAME_NAME`` alike once normalised."""
    return rival_claims_many([lead], limit)[0]


def rival_claims_many(leads: list[Lead], limit: int = SHOWN) -> list[list[Claim]]:
    """``rival_claims`` for each of ``leads`` at once: the open leads are read once and the
    names compared as one matrix, so an import of thousands of leads stays quick."""
    open_leads = list(
        Lead.objects.exclude(stage=Stage.DROPPED).values_list(
            "pk", "team_id", "proposed_park_id", "uscc", "company", "company_en"
        )
    )
    owner = {pk: (team, park) for pk, team, park, *_rest in open_leads}

    def rival(i: int, pk: int) -> bool:
        # a lead is no rival of itself, nor of the same team's lead for the same park
        lead = leads[i]
        return pk != lead.pk and owner[pk] != (lead.team_id, lead.proposed_park_id)

    found: list[dict[int, tuple[str, float]]] = [{} for _ in leads]
    by_uscc: dict[str, list[int]] = {}
    for pk, _team, _park, uscc, _company, _english in open_leads:
        if uscc:
            by_uscc.setdefault(uscc, []).append(pk)
    for i, lead in enumerate(leads):
        uscc = normalise_uscc(lead.uscc)  # as typed in a form not yet saved
        for pk in by_uscc.get(uscc, []) if uscc else []:
            if rival(i, pk):
                found[i][pk] = (_("same USCC %(uscc)s") % {"uscc": uscc}, 100.0)
    choices = list(
        dict.fromkeys(
            (pk, text, normalised)
            for pk, _team, _park, _uscc, *texts in open_leads
            for text in texts
            if (normalised := normalise_name(text))
        )
    )
    queries = [
        (i, normalised)
        for i, lead in enumerate(leads)
        for name in (lead.company, lead.company_en)
        if (normalised := normalise_name(name))
    ]
    for i, pk, text, score in _alike(queries, choices, rival, limit):
        if pk not in found[i]:
            reason = _("name %(name)s is %(score)s%% alike") % {"name": text, "score": round(score)}
            found[i][pk] = (reason, score)
    rivals = Lead.objects.select_related("team", "proposed_park").in_bulk(
        {pk for claims in found for pk in claims}
    )
    return [
        sorted(
            (Claim(rivals[pk], reason, score) for pk, (reason, score) in claims.items()),
            key=lambda c: -c.score,
        )[:limit]
        for claims in found
    ]


def _alike(queries, choices, rival, limit: int):
    """``(query's lead index, rival lead, its text, score)`` for each query's ``limit`` most
    alike rivals at least ``SAME_NAME`` alike, best first, ties in the choices' order."""
    if not choices or not queries:
        return
    names = [normalised for _pk, _text, normalised in choices]
    for start in range(0, len(queries), NAMES_AT_ONCE):
        chunk = queries[start : start + NAMES_AT_ONCE]
        scores = process.cdist(
            [name for _i, name in chunk],
            names,
            scorer=fuzz.ratio,
            score_cutoff=SAME_NAME,
            dtype=np.float32,
        )
        for (i, _name), row in zip(chunk, scores, strict=True):
            hits = np.flatnonzero(row)
            kept = 0
            for j in hits[np.lexsort((hits, -row[hits]))]:
                pk, text, _normalised = choices[j]
                if kept < limit and rival(i, pk):
                    kept += 1
                    yield i, pk, text, float(row[j])


def flag_claims(leads: list[Lead]) -> list[list[Claim]]:
    """Mark saved leads that have rivals as possible duplicates for the zone administration
    to decide (a decided claim stays decided); each lead's rivals, most alike first.

    Part of the write that opened or changed the leads, inside its gate.
    """
    claims = rival_claims_many(leads)
    for lead, rivals in zip(leads, claims, strict=True):
        if rivals and lead.claim != ClaimStatus.DECIDED:
            lead.claim, lead.possible_duplicate_of = ClaimStatus.FLAGGED, rivals[0].lead
            lead.save(update_fields=["claim", "possible_duplicate_of", "updated"])
    return claims
