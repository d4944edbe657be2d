"""One claim per company: an open lead of another team or park for the same company (the
same USCC, or a name close enough once normalised) is a rival, flagged for the zone
administration to decide who keeps the company.

A name alike is found by comparing it with every open lead's (no index can find every name
90 % alike), so it is done once per write, never per view: the rivals found are kept as
``RivalClaim`` rows, both ways, by each write that can change them (``keep_rivals``), and a
lead's page reads them (``kept_claims``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from django.db.models import F, Q
from django.utils.translation import gettext as _
from rapidfuzz import fuzz, process

from beacon.core import chain
from beacon.core.validators import normalise_uscc

from .choices import ClaimStatus, Stage
from .models import Lead, RivalClaim, RivalClaimWrites

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
SHOWN = 5  # rivals shown per lead, most alike first
NAMES_AT_ONCE = 256  # names compared with every open lead's in one matrix (256 × 40,000 bytes)
IDS_AT_ONCE = 5000  # leads per statement, twice within SQLite's 32,766 parameters


@lru_cache(maxsize=200_000)  # a pure function of the name: each write compares every name
def normalise_name(name: str) -> str:
    """A company name without legal-form words, spaces and punctuation, case-folded, with
    full-width characters made half-width (NFKC)."""
    text = unicodedata.normalize("NFKC", name or "").casefold()
    for word in LEGAL_WORDS:
        text = text.replace(unicodedata.normalize("NFKC", word), " ")
    return re.sub(r"[\s\W_]+", "", text)


@dataclass(frozen=True)
class Match:
    """Why a lead is a rival: the same USCC, or its name ``name`` ``score`` % alike."""

    score: float
    uscc: str = ""
    name: str = ""


@dataclass
class Claim:
    """An open lead of another team or park that may be the same company."""

    lead: Lead
    match: Match

    @property
    def score(self) -> float:
        return self.match.score

    @property
    def reason(self) -> str:
        if self.match.uscc:
            return _("same USCC %(uscc)s") % {"uscc": self.match.uscc}
        return _("name %(name)s is %(score)s%% alike") % {
            "name": self.match.name,
            "score": round(self.match.score),
        }


def shown_first(claim: Claim) -> tuple:
    """Most alike first; the same USCC before a name as alike; then the latest leads."""
    return (-claim.score, not claim.match.uscc, -claim.lead.stage_date.toordinal(), -claim.lead.pk)


def rival_claims(lead: Lead, limit: int = SHOWN) -> list[Claim]:
    """Open leads, of another team or another proposed park, for the same company as
    ``lead`` (saved or not, as it stands in memory): the same USCC, or a name (Chinese or
    English) at least ``SAME_NAME`` alike once normalised. Compares it with every open
    lead: for a form or a request about to be saved; a saved lead's are ``kept_claims``."""
    return rival_claims_many([lead], limit)[0]


def rival_claims_many(leads: list[Lead], limit: int = SHOWN) -> list[list[Claim]]:
    """``rival_claims`` for each of ``leads`` at once."""
    return _shown(find_rivals(leads), limit)


def _shown(found: list[dict[int, Match]], limit: int) -> list[list[Claim]]:
    rivals = Lead.objects.select_related("team", "proposed_park").in_bulk(
        {pk for matches in found for pk in matches}
    )
    return [
        sorted((Claim(rivals[pk], match) for pk, match in matches.items()), key=shown_first)[:limit]
        for matches in found
    ]


@dataclass
class Check:
    """A lead's rivals found before it is saved (``claims`` to show), and the writes of
    rival claims counted before they were looked for: its save keeps them as found when
    no write came between."""

    writes: int
    pairs: dict[int, tuple[Match, Match]]
    claims: list[Claim]


def check_rivals(lead: Lead) -> Check:
    """``rival_claims`` of a lead about to be saved, kept for its save (``flag_claims``)."""
    writes = _writes()  # counted first: a write after it makes the save look again
    pairs = _pairs([lead])[0]
    claims = _shown([{pk: forward for pk, (forward, _back) in pairs.items()}], SHOWN)[0]
    return Check(writes, pairs, claims)


def _writes() -> int:
    return RivalClaimWrites.objects.filter(pk=1).values_list("count", flat=True).first() or 0


def kept_claims(lead: Lead, limit: int = SHOWN) -> list[Claim]:
    """The rivals kept for a saved lead, as ``rival_claims`` finds them: one query."""
    rows = (
        RivalClaim.objects.filter(lead=lead)
        .select_related("rival__team", "rival__proposed_park")
        .order_by("-score", "-same_uscc", "-rival__stage_date", "-rival__pk")[:limit]
    )
    return [
        Claim(row.rival, Match(row.score, row.rival.uscc if row.same_uscc else "", row.name))
        for row in rows
    ]


def find_rivals(leads: list[Lead]) -> list[dict[int, Match]]:
    """Every rival of each of ``leads`` (as they stand in memory) and why, by lead id: the
    open leads are read once and the names compared as one matrix, so an import of
    thousands of leads stays quick. A dropped lead has none."""
    return [{pk: forward for pk, (forward, _back) in pairs.items()} for pairs in _pairs(leads)]


def _pairs(leads: list[Lead]) -> list[dict[int, tuple[Match, Match]]]:
    """Per lead, each rival's match both ways: why the rival is the lead's, and why the lead
    is the rival's (the name each finds alike is the other's)."""
    open_leads = list(
        Lead.objects.exclude(stage=Stage.DROPPED)
        .order_by("pk")
        .values_list("pk", "team_id", "proposed_park_id", "uscc", "company", "company_en")
    )
    owner = {pk: (team, park) for pk, team, park, *_rest in open_leads}

    def rival(i: int, pk: int) -> bool:
        # a lead is no rival of itself, nor of the same team's lead for the same park
        lead = leads[i]
        return pk != lead.pk and owner[pk] != (lead.team_id, lead.proposed_park_id)

    searching = [lead.stage != Stage.DROPPED for lead in leads]
    found: list[dict[int, tuple[Match, Match]]] = [{} for _ in leads]
    by_uscc: dict[str, list[int]] = {}
    for pk, _team, _park, uscc, _company, _english in open_leads:
        if uscc:
            by_uscc.setdefault(uscc, []).append(pk)
    for i, lead in enumerate(leads):
        uscc = normalise_uscc(lead.uscc)  # as typed in a form not yet saved
        for pk in by_uscc.get(uscc, []) if uscc and searching[i] else []:
            if rival(i, pk):
                found[i][pk] = (Match(100.0, uscc=uscc), Match(100.0, uscc=uscc))
    choices = [
        (pk, side, text, normalised)
        for pk, _team, _park, _uscc, *texts in open_leads
        for side, text in enumerate(texts)
        if (normalised := normalise_name(text))
    ]
    queries = [
        (i, side, name, normalised)
        for i, lead in enumerate(leads)
        if searching[i]
        for side, name in enumerate((lead.company, lead.company_en))
        if (normalised := normalise_name(name))
    ]
    # each pair's best pair of names; between names as alike, the Chinese ones
    best: dict[tuple[int, int], dict[tuple[int, int], tuple[float, str, str]]] = {}
    for (i, side, name), (pk, rival_side, text), score in _alike(queries, choices, rival):
        if pk not in found[i]:
            best.setdefault((i, pk), {})[(side, rival_side)] = (score, name, text)
    for (i, pk), names in best.items():
        score = max(score for score, _name, _text in names.values())
        alike = [(sides, texts) for sides, (s, *texts) in names.items() if s == score]
        # each side names the other's name of the most alike pair (its Chinese one first),
        # as a search from that side finds it
        _sides, (_name, text) = min(alike, key=lambda a: (a[0][1], a[0][0]))
        _sides, (name, _text) = min(alike, key=lambda a: a[0])
        found[i][pk] = (Match(score, name=text), Match(score, name=name))
    return found


def _alike(queries, choices, rival):
    """``((query's lead index, its side, its name), (rival lead, its side, its name),
    score)`` for each pair of names at least ``SAME_NAME`` alike."""
    if not choices or not queries:
        return
    names = [normalised for *_choice, normalised in choices]
    for start in range(0, len(queries), NAMES_AT_ONCE):
        chunk = queries[start : start + NAMES_AT_ONCE]
        scores = process.cdist(
            [normalised for *_query, normalised in chunk],
            names,
            scorer=fuzz.ratio,
            score_cutoff=SAME_NAME,
            dtype=np.float32,
            workers=-1,
        )
        for (i, side, name, _normalised), row in zip(chunk, scores, strict=True):
            for j in np.flatnonzero(row):
                pk, rival_side, text, _normalised = choices[j]
                if rival(i, pk):
                    yield (i, side, name), (pk, rival_side, text), float(row[j])


def keep_rivals(leads: list[Lead], checks: list[Check] | None = None) -> list[dict[int, Match]]:
    """Find the rivals of saved ``leads`` again and keep them, both ways; each lead's
    rivals. Part of every write that opens leads or changes what makes one a rival (its
    USCC, names, team or park; moving in or out of ``dropped``), inside its transaction.

    ``checks``, one per lead, are the rivals its form or request found before the save,
    of the lead as saved: kept as found when no other write of rival claims came between
    (a deleted rival left out), looked for again otherwise."""
    if not leads:
        return []
    chain.hold(RivalClaim)  # one writer at a time: two renamed leads each see the other
    writes = _writes()
    if checks is not None and all(check.writes == writes for check in checks):
        named = {pk for check in checks for pk in check.pairs}
        alive = set(Lead.objects.filter(pk__in=named).values_list("pk", flat=True))
        pairs = [{pk: p for pk, p in check.pairs.items() if pk in alive} for check in checks]
    else:
        pairs = _pairs(leads)
    if not RivalClaimWrites.objects.filter(pk=1).update(count=F("count") + 1):
        RivalClaimWrites.objects.create(pk=1, count=writes + 1)
    ids = [lead.pk for lead in leads]
    for start in range(0, len(ids), IDS_AT_ONCE):
        chunk = ids[start : start + IDS_AT_ONCE]
        RivalClaim.objects.filter(Q(lead__in=chunk) | Q(rival__in=chunk)).delete()
    rows: dict[tuple[int, int], RivalClaim] = {}
    for lead, found in zip(leads, pairs, strict=True):
        for pk, (forward, back) in found.items():
            for one, other, match in ((lead.pk, pk, forward), (pk, lead.pk, back)):
                rows[(one, other)] = RivalClaim(
                    lead_id=one,
                    rival_id=other,
                    score=match.score,
                    same_uscc=bool(match.uscc),
                    name=match.name,
                )
    RivalClaim.objects.bulk_create(rows.values(), batch_size=2000)
    return [{pk: forward for pk, (forward, _back) in found.items()} for found in pairs]


def flag_claims(leads: list[Lead], checks: list[Check] | None = None) -> None:
    """Keep the rivals of saved leads (as ``checks`` found them before the save, see
    ``keep_rivals``) and mark those that have some as possible duplicates for the zone
    administration to decide (a decided claim stays decided).

    Part of the write that opened or changed the leads, inside its gate.
    """
    found = keep_rivals(leads, checks)
    for lead, rivals in zip(leads, found, strict=True):
        if rivals and lead.claim != ClaimStatus.DECIDED:
            lead.claim, lead.possible_duplicate_of = (
                ClaimStatus.FLAGGED,
                kept_claims(lead, 1)[0].lead,
            )
            lead.save(update_fields=["claim", "possible_duplicate_of", "updated"])


def rebuild_rivals() -> None:
    """Find every open lead's rivals again and keep them: for a zone whose leads were
    written before their rivals were kept, and for the demo's leads written in bulk."""
    fields = ("pk", "uscc", "company", "company_en", "team", "proposed_park", "stage")
    RivalClaim.objects.all().delete()
    keep_rivals(list(Lead.objects.exclude(stage=Stage.DROPPED).order_by("pk").only(*fields)))
