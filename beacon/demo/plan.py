"""The demo zone as rows: ``DemoPlan`` is pure, a seed and a size give rows (dicts of model
field values) and nothing else; the writer puts them in the database."""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

import numpy as np

from beacon.registry.choices import (
    EnterpriseStatus,
    LandUse,
    ParcelStatus,
    PlatformKind,
    PlatformLevel,
)
from beacon.registry.models import M2_PER_MU

from .innovation import PLATFORMS, TALENTS
from .licence import REGIONS, business_scope, company_name, registered_region
from .parks import LINES, PARKS, ParkSpec, Word
from .uscc import draw_uscc

SEED = 20240309  # the day of the Zhaoqing interview in the seed articles
SIZES = {"small": 2_000, "large": 100_000}
FIGURE_YEARS = tuple(range(2021, 2026))
LAST_YEAR = FIGURE_YEARS[-1]
# Enterprises are generated and written this many at a time, so a large zone never sits
# in memory whole; the figures' random stream is keyed on the chunk's first index.
CHUNK = 5_000

STATUSES = (EnterpriseStatus.ACTIVE, EnterpriseStatus.MOVED_OUT, EnterpriseStatus.CLOSED)
ACTIVE, MOVED_OUT, CLOSED = range(len(STATUSES))
# Above designated size (规模以上): main-business revenue of 20 million yuan for industry,
# 10 million for software and technology services.
ABOVE_SCALE_INDUSTRY = 2e7
ABOVE_SCALE_SERVICES = 1e7
OWN_LAND_REVENUE = 3e7  # below this a manufacturer rents a standard plant
TCE_PER_KWH = 0.0001229  # electricity's equivalent coal value (0.1229 kgce per kWh)

LINE_OFFSETS = np.cumsum([0] + [len(park.lines) for park in PARKS])[:-1]
LINE_MANUFACTURING = np.array([line.manufacturing for line in LINES])
LINE_ENERGY = np.array([line.energy for line in LINES])
LINE_EMISSION = np.array([line.emission for line in LINES])
PARK_GROWTH = np.array([park.growth for park in PARKS])

VACANT_NOTES = {
    ParcelStatus.AVAILABLE: "净地，七通一平，可即时供地",
    ParcelStatus.RESERVED: "意向项目洽谈中，预留地块",
    ParcelStatus.PLANNED: "规划产业用地，待收储",
}


class DemoPlan:
    """The demo zone as rows: the same seed and size always give the same rows.

    The population (park, industry, size, age, flags, land) is drawn at once as arrays;
    names and USCCs for all enterprises follow. Rows for a slice of enterprises and their
    figures are made on demand, each slice from its own seeded stream, so a large zone
    can be written chunk by chunk.
    """

    def __init__(self, size: str = "small", seed: int = SEED, enterprises: int | None = None):
        if size not in SIZES:
            raise ValueError(f"size must be one of {', '.join(SIZES)}")
        self.seed = seed
        self.count = SIZES[size] if enterprises is None else enterprises
        if self.count < len(PARKS) * 10:
            raise ValueError("the demo zone needs at least ten enterprises per park")
        # The draws share one stream, so their order is part of the demo data.
        rng = np.random.default_rng(seed)
        self._draw_firms(rng)
        self._draw_chain_masters(rng)
        self._draw_status(rng)
        self._draw_flags(rng)
        self._draw_ratios(rng)
        self._draw_land(rng)
        # A demo, drawn again from its seed: not a secret (bandit B311).
        self._draw_identities(random.Random(seed))  # nosec B311

    # -- population ---------------------------------------------------------------------

    def _draw_firms(self, rng: np.random.Generator) -> None:
        """Park, industry line, founding date and last year's revenue of every firm."""
        n = self.count
        self.park = rng.choice(len(PARKS), n, p=[p.share for p in PARKS])
        self.line = np.empty(n, dtype=np.int64)
        for p, spec in enumerate(PARKS):
            idx = np.flatnonzero(self.park == p)
            weights = np.array([line.weight for line in spec.lines], dtype=float)
            self.line[idx] = LINE_OFFSETS[p] + rng.choice(
                len(spec.lines), idx.size, p=weights / weights.sum()
            )
        self.founded_year = np.maximum(
            LAST_YEAR - np.floor(rng.exponential(8.0, n)).astype(np.int64), 1992
        )
        self.founded_month = rng.integers(1, 13, n)
        self.founded_day = rng.integers(1, 29, n)
        manufacturing = LINE_MANUFACTURING[self.line]
        revenue = np.where(
            manufacturing,
            rng.lognormal(math.log(6e6), 1.7, n),
            rng.lognormal(math.log(3e6), 1.5, n),
        )
        age = LAST_YEAR - self.founded_year
        self.revenue = np.clip(revenue * np.minimum(1.0, (age + 1) / 6), 2e5, 3e9)

    def _draw_chain_masters(self, rng: np.random.Generator) -> None:
        """A few chain masters per park: the integrators and cell makers the chain forms
        around."""
        self.chain_master = np.zeros(self.count, dtype=bool)
        masters = int(np.clip(round(math.log10(self.count)), 2, 6))
        for p, spec in enumerate(PARKS):
            leads = [LINE_OFFSETS[p] + i for i, line in enumerate(spec.lines) if line.lead]
            idx = rng.choice(np.flatnonzero(self.park == p), masters, replace=False)
            self.chain_master[idx] = True
            self.line[idx] = rng.choice(leads, masters)
            self.revenue[idx] = np.exp(rng.uniform(math.log(5e9), math.log(6e10), masters))
            self.founded_year[idx] = rng.integers(2003, 2019, masters)
        self.manufacturing = LINE_MANUFACTURING[self.line]

    def _draw_status(self, rng: np.random.Generator) -> None:
        """Most firms are active; a few moved out or closed in a recent year."""
        u = rng.random(self.count)
        self.status = np.where(u < 0.02, CLOSED, np.where(u < 0.045, MOVED_OUT, ACTIVE))
        self.status[self.chain_master] = ACTIVE
        exit_year = rng.integers(np.maximum(self.founded_year + 1, 2022), LAST_YEAR + 2)
        self.last_year = np.where(self.status == ACTIVE, LAST_YEAR, exit_year - 1)

    def _draw_flags(self, rng: np.random.Generator) -> None:
        """High-tech certificates, SRDI and little-giant titles, above designated size."""
        n = self.count
        active = self.status == ACTIVE
        # Certification needs a year of registration; certificates run three years from
        # the autumn they were issued in.
        eligible = self.founded_year < LAST_YEAR
        share = np.where(self.manufacturing, 0.85, 0.6)
        self.high_tech = (eligible & (rng.random(n) < share)) | self.chain_master
        issued = rng.choice([2023, 2024, 2025], n, p=[0.3, 0.35, 0.35])
        self.certificate_year = np.maximum(issued, self.founded_year + 1)
        self.certificate_day = rng.integers(0, 90, n)

        mid_size = (self.revenue >= 1e7) & (self.revenue <= 2e9)
        self.srdi = (
            self.manufacturing
            & active
            & (self.founded_year <= LAST_YEAR - 3)
            & mid_size
            & (rng.random(n) < 0.3)
        )
        self.little_giant = self.srdi & (self.revenue >= 5e7) & (rng.random(n) < 0.25)
        threshold = np.where(self.manufacturing, ABOVE_SCALE_INDUSTRY, ABOVE_SCALE_SERVICES)
        self.above_scale = active & (self.revenue >= threshold)

    def _draw_ratios(self, rng: np.random.Generator) -> None:
        """Each firm's own ratios of the other figures to its revenue, and its region."""
        n = self.count
        self.output_ratio = rng.uniform(0.92, 1.04, n)
        self.va_ratio = np.where(
            self.manufacturing, rng.uniform(0.2, 0.35, n), rng.uniform(0.35, 0.55, n)
        )
        self.tax_ratio = rng.uniform(0.03, 0.08, n)
        self.rd_ratio = np.where(
            self.high_tech, rng.uniform(0.03, 0.06, n), rng.uniform(0.01, 0.03, n)
        )
        productivity = np.where(
            self.manufacturing,
            rng.lognormal(math.log(1.0e6), 0.4, n),
            rng.lognormal(math.log(0.5e6), 0.4, n),
        )
        self.employees = np.maximum(3, np.rint(self.revenue / productivity))
        exporter = self.manufacturing & (rng.random(n) < 0.35)
        self.export_share = np.where(exporter, rng.uniform(0.05, 0.5, n), 0.0)
        self.energy_noise = rng.lognormal(0, 0.35, n)
        self.electricity_share = rng.uniform(0.55, 0.9, n)
        self.emission_noise = rng.lognormal(0, 0.5, n)
        self.region = rng.choice(len(REGIONS), n, p=[r.weight for r in REGIONS])

    # -- land ---------------------------------------------------------------------------

    def _draw_land(self, rng: np.random.Generator) -> None:
        """Own parcels for the larger manufacturers, shared buildings for most of the rest."""
        n = self.count
        per_mu_output = np.exp(rng.uniform(math.log(1.5e6), math.log(8e6), n))
        own_area = np.where(
            self.chain_master,
            np.clip(self.revenue / per_mu_output, 300, 3000),
            np.clip(self.revenue / per_mu_output, 10, 1500),
        ).round(2)
        self.own_land = self.manufacturing & (
            (self.revenue >= OWN_LAND_REVENUE) | self.chain_master
        )
        self.tenant = ~self.own_land & (rng.random(n) < np.where(self.manufacturing, 0.7, 0.5))
        space_per_employee = np.where(
            self.manufacturing, rng.uniform(25, 60, n), rng.uniform(8, 15, n)
        )
        plot_ratio = rng.uniform(0.8, 2.0, n)
        m2_per_mu = float(M2_PER_MU)
        self.floor_m2 = np.where(
            self.own_land,
            own_area * m2_per_mu * plot_ratio,
            np.where(self.tenant, self.employees * space_per_employee, np.nan),
        ).round(2)
        # A tenant's land is its share of the building's plot: standard plants are built at
        # a plot ratio of about 2.5, research towers at about 4.
        building_ratio = np.where(self.manufacturing, 2.5, 4.0)
        self.land_mu = np.where(
            self.own_land,
            own_area,
            np.where(self.tenant, self.floor_m2 / m2_per_mu / building_ratio, np.nan),
        ).round(2)

        self.parcel_rows: list[dict] = []
        self.enterprise_parcels: dict[int, tuple[str, ...]] = {}
        for p, spec in enumerate(PARKS):
            self._number_parcels(rng, spec, self._park_parcels(rng, p, own_area))

    def _park_parcels(
        self, rng: np.random.Generator, p: int, own_area: np.ndarray
    ) -> list[tuple[dict, list[int]]]:
        """A park's parcels (some field values) with the firms on each: the larger
        manufacturers' own land, buildings shared by tenants, and some vacant land."""
        in_park = (self.park == p) & (self.status == ACTIVE)
        parcels: list[tuple[dict, list[int]]] = []
        for i in np.flatnonzero(in_park & self.own_land).tolist():
            area = float(own_area[i])
            status = ParcelStatus.SUPPLIED if self.founded_year[i] >= 2024 else ParcelStatus.BUILT
            pieces = [area] if area <= 1200 else [round(area * 0.55, 2), round(area * 0.45, 2)]
            for piece in pieces:
                parcels.append(({"area_mu": piece, "status": status}, [i]))
        for manufacturing, land_use, notes, tenants_each in (
            (True, LandUse.INDUSTRIAL, "标准厂房（多层），分租入驻企业", 25),
            (False, LandUse.RD, "科创大厦，研发办公分租", 40),
        ):
            tenants = np.flatnonzero(in_park & self.tenant & (self.manufacturing == manufacturing))
            buildings = max(1, math.ceil(tenants.size / tenants_each))
            home = rng.integers(0, buildings, tenants.size)
            for b in range(buildings):
                row = {
                    "area_mu": round(float(rng.uniform(30, 150)), 2),
                    "status": ParcelStatus.BUILT,
                    "land_use": land_use,
                    "notes": notes,
                }
                parcels.append((row, tenants[home == b].tolist()))
        return parcels + _vacant_parcels(rng, max(6, round(0.1 * len(parcels))))

    def _number_parcels(
        self, rng: np.random.Generator, spec: ParkSpec, parcels: list[tuple[dict, list[int]]]
    ) -> None:
        """Number a park's parcels in a shuffled order, so codes say nothing of the owner."""
        for number, k in enumerate(rng.permutation(len(parcels)).tolist(), start=1):
            row, owners = parcels[k]
            code = f"{spec.code}-{number:05d}"
            self.parcel_rows.append(
                {
                    "code": code,
                    "park": spec.code,
                    "area_mu": Decimal(f"{row['area_mu']:.2f}"),
                    "land_use": row.get("land_use", LandUse.INDUSTRIAL),
                    "status": row["status"],
                    "notes": row.get("notes", ""),
                }
            )
            for i in owners:
                self.enterprise_parcels[i] = (*self.enterprise_parcels.get(i, ()), code)

    # -- names and codes ----------------------------------------------------------------

    def _draw_identities(self, rnd: random.Random) -> None:
        """Unique Chinese names with English renderings, and unique valid USCCs."""
        self.uscc: list[str] = []
        self.name: list[str] = []
        self.name_en: list[str] = []
        self.short: dict[int, tuple[str, str, Word]] = {}  # brand and word of notable firms
        taken_codes: set[str] = set()
        taken_names: set[str] = set()
        notable = set(np.flatnonzero(self.chain_master | self.little_giant).tolist())
        for i in range(self.count):
            founded = int(self.founded_year[i])
            region = registered_region(self.region[i], founded)
            code = draw_uscc(rnd, region.code, founded)
            while code in taken_codes:
                code = draw_uscc(rnd, region.code, founded)
            taken_codes.add(code)

            line = LINES[self.line[i]]
            big = self.revenue[i] >= 5e8
            zh, en, short = company_name(rnd, line, region, big)
            while zh in taken_names:
                zh, en, short = company_name(rnd, line, region, big)
            taken_names.add(zh)
            self.uscc.append(code)
            self.name.append(zh)
            self.name_en.append(en)
            if i in notable:
                self.short[i] = short

    # -- rows ---------------------------------------------------------------------------

    def class_codes(self) -> set[str]:
        return {line.code for line in LINES}

    def park_rows(self) -> list[dict]:
        area = {spec.code: Decimal(0) for spec in PARKS}
        for row in self.parcel_rows:
            area[row["park"]] += row["area_mu"]
        return [
            {
                "code": spec.code,
                "name": spec.name,
                "name_en": spec.name_en,
                "positioning": spec.positioning,
                "address": spec.address,
                # Planned area leaves about a quarter beyond the parcels already drawn.
                "area_mu": Decimal(math.ceil(area[spec.code] * Decimal("1.35") / 100) * 100),
                "industries": [line.code for line in spec.lines],
            }
            for spec in PARKS
        ]

    def enterprise_rows(self, start: int, stop: int) -> list[dict]:
        """Enterprises ``start`` to ``stop`` as field values; ``park``, ``industry`` and
        ``parcels`` hold codes."""
        # Demo data: not a secret (bandit B311).
        rnd = random.Random(f"{self.seed}:scope:{start}")  # nosec B311
        rows = []
        for i in range(start, stop):
            line = LINES[self.line[i]]
            expiry = None
            if self.high_tech[i]:
                issued = dt.date(int(self.certificate_year[i]), 10, 1)
                issued += dt.timedelta(days=int(self.certificate_day[i]))
                expiry = issued.replace(year=issued.year + 3) - dt.timedelta(days=1)
            rows.append(
                {
                    "uscc": self.uscc[i],
                    "name": self.name[i],
                    "name_en": self.name_en[i],
                    "park": PARKS[self.park[i]].code,
                    "industry": line.code,
                    "parcels": self.enterprise_parcels.get(i, ()),
                    "business_scope": business_scope(rnd, line),
                    "founded": dt.date(
                        int(self.founded_year[i]),
                        int(self.founded_month[i]),
                        int(self.founded_day[i]),
                    ),
                    "high_tech": bool(self.high_tech[i]),
                    "high_tech_expiry": expiry,
                    "srdi": bool(self.srdi[i]),
                    "little_giant": bool(self.little_giant[i]),
                    "above_scale": bool(self.above_scale[i]),
                    "chain_master": bool(self.chain_master[i]),
                    "status": STATUSES[self.status[i]].value,
                }
            )
        return rows

    def figure_rows(self, start: int, stop: int) -> list[tuple[int, dict]]:
        """(enterprise index, field values) of the annual figures of enterprises ``start`` to
        ``stop``: one row per year the enterprise was in the zone.

        The draws depend on the slice, not only on the enterprises in it; the writer always
        slices by ``CHUNK``."""
        rng = np.random.default_rng([self.seed, 2, start])
        sl = slice(start, stop)
        years = np.array(FIGURE_YEARS)
        revenue = self._revenue_by_year(rng, sl, years)
        figures = self._figures_from_revenue(rng, sl, revenue)
        exists = (years >= self.founded_year[sl][:, None]) & (years <= self.last_year[sl][:, None])
        at = rows_at, cols_at = np.nonzero(exists)
        manufacturing = self.manufacturing[sl][rows_at].tolist()
        columns = {
            "year": years[cols_at].tolist(),
            "revenue": _yuan(revenue, at),
            "industrial_output": [
                v if m else None
                for v, m in zip(_yuan(figures["output"], at), manufacturing, strict=True)
            ],
            "value_added": _yuan(figures["value_added"], at),
            "tax": _yuan(figures["tax"], at),
            "employees": np.rint(figures["employees"][at]).astype(np.int64).tolist(),
            "rd_expense": _yuan(figures["rd"], at),
            "energy_tce": _fixed(figures["energy"], at, 3),
            "electricity_kwh": _yuan(figures["electricity"], at),
            "emissions_t": _fixed(figures["emissions"], at, 3),
            "land_mu": _per_firm(self.land_mu[sl], rows_at),
            "floor_area_m2": _per_firm(self.floor_m2[sl], rows_at),
            "exports": _yuan(figures["exports"], at),
        }
        names = list(columns)
        return [
            (start + r, dict(zip(names, values, strict=True)))
            for r, values in zip(rows_at.tolist(), zip(*columns.values(), strict=True), strict=True)
        ]

    def _revenue_by_year(
        self, rng: np.random.Generator, sl: slice, years: np.ndarray
    ) -> np.ndarray:
        """Revenue runs back from the last year; young firms grow fast for their first years."""
        k = sl.stop - sl.start
        founded = self.founded_year[sl][:, None]
        growth = rng.normal(PARK_GROWTH[self.park[sl]][:, None], 0.15, (k, len(years) - 1))
        growth = growth.clip(-0.35, 0.9) + 0.35 * ((years[1:] - founded) < 3)
        revenue = np.empty((k, len(years)))
        revenue[:, -1] = self.revenue[sl]
        for j in range(len(years) - 2, -1, -1):
            revenue[:, j] = revenue[:, j + 1] / (1 + growth[:, j])
        first_year_share = (13 - self.founded_month[sl][:, None]) / 12
        return np.where(years == founded, revenue * first_year_share, revenue)

    def _figures_from_revenue(
        self, rng: np.random.Generator, sl: slice, revenue: np.ndarray
    ) -> dict[str, np.ndarray]:
        """The other figures of every year, by the firm's own ratios with a little noise."""
        shape = revenue.shape
        manufacturing = self.manufacturing[sl][:, None]
        output = revenue * self.output_ratio[sl][:, None] * rng.normal(1, 0.02, shape)
        base = np.where(manufacturing, output, revenue)
        va_share = self.va_ratio[sl][:, None] + rng.normal(0, 0.01, shape)
        va_share = np.where(manufacturing, va_share.clip(0.2, 0.35), va_share.clip(0.35, 0.55))
        tax = revenue * (self.tax_ratio[sl][:, None] + rng.normal(0, 0.004, shape)).clip(0.03, 0.08)
        rd = revenue * (self.rd_ratio[sl][:, None] + rng.normal(0, 0.003, shape)).clip(0.01, 0.06)
        employees = np.maximum(
            3, self.employees[sl][:, None] * (revenue / self.revenue[sl][:, None]) ** 0.6
        )
        energy = (
            base
            / 1e4
            * LINE_ENERGY[self.line[sl]][:, None]
            * self.energy_noise[sl][:, None]
            * rng.normal(1, 0.05, shape).clip(0.8, 1.2)
        )
        exports = revenue * self.export_share[sl][:, None] * rng.normal(1, 0.1, shape).clip(0.5)
        return {
            "output": output,
            "value_added": base * va_share,
            "tax": tax,
            "rd": rd,
            "employees": employees,
            "energy": energy,
            "electricity": energy * self.electricity_share[sl][:, None] / TCE_PER_KWH,
            "emissions": (
                energy * LINE_EMISSION[self.line[sl]][:, None] * self.emission_noise[sl][:, None]
            ),
            "exports": exports,
        }

    # -- platforms, talents and accounts ------------------------------------------------

    def pick(self, rng: np.random.Generator, park: int, young: bool) -> int | None:
        """An active high-tech enterprise of a park to host a talent: young for a start-up
        team, established for a talent."""
        mask = (self.park == park) & (self.status == ACTIVE) & self.high_tech
        age_ok = self.founded_year >= 2021 if young else self.founded_year <= 2018
        candidates = np.flatnonzero(mask & age_ok)
        if candidates.size == 0:
            candidates = np.flatnonzero(mask)
        return int(rng.choice(candidates)) if candidates.size else None

    def platform_rows(self) -> list[dict]:
        """The zone's laboratories, institutes, incubators and campus, then one technology
        centre for each chain master and little giant; ``enterprise`` holds a USCC."""
        rows = [dict(row, enterprise=None) for row in PLATFORMS]
        names = {row["name"] for row in rows}
        for i in sorted(self.short):
            brand_zh, brand_en, word = self.short[i]
            park = PARKS[self.park[i]].code
            if self.chain_master[i]:
                name, name_en = (
                    f"{brand_zh}{word.zh}企业技术中心",
                    (f"{brand_en} {word.en} Enterprise Technology Center"),
                )
                level, established = PlatformLevel.NATIONAL, int(self.founded_year[i]) + 6
            else:
                name = f"广东省{word.zh}工程技术研究中心（{brand_zh}）"
                name_en = f"Guangdong {word.en} Engineering Technology Research Center ({brand_en})"
                level, established = PlatformLevel.PROVINCIAL, int(self.founded_year[i]) + 4
            if name in names:
                continue
            names.add(name)
            rows.append(
                {
                    "name": name,
                    "name_en": name_en,
                    "kind": PlatformKind.LAB,
                    "level": level,
                    "park": park,
                    "enterprise": self.uscc[i],
                    "established": min(established, LAST_YEAR),
                    "description": f"依托{self.name[i]}建设。",
                }
            )
        return rows

    def talent_rows(self) -> list[dict]:
        """About twenty start-up teams and talents, each tied to a park and, where one fits,
        to a high-tech enterprise of it; ``enterprise`` holds a USCC."""
        rng = np.random.default_rng([self.seed, 3])
        rows = []
        for row in TALENTS:
            park = next(p for p, spec in enumerate(PARKS) if spec.code == row["park"])
            host = self.pick(rng, park, young=row["kind"] == "startup_team")
            rows.append(dict(row, enterprise=None if host is None else self.uscc[host]))
        return rows

    def account_enterprise(self) -> str:
        """The USCC of the demo enterprise user's firm: an established SRDI firm of park 1."""
        mask = (self.park == 0) & (self.status == ACTIVE)
        for extra in (self.srdi & self.high_tech & (self.founded_year <= 2020), self.high_tech):
            candidates = np.flatnonzero(mask & extra & ~self.chain_master)
            if candidates.size:
                return self.uscc[int(candidates[0])]
        return self.uscc[int(np.flatnonzero(mask)[0])]


def _vacant_parcels(rng: np.random.Generator, count: int) -> list[tuple[dict, list[int]]]:
    """Land not yet built on: available, reserved for a project in talks, or planned."""
    statuses = rng.choice(
        [ParcelStatus.AVAILABLE, ParcelStatus.RESERVED, ParcelStatus.PLANNED],
        count,
        p=[0.4, 0.2, 0.4],
    )
    uses = rng.choice(list(LandUse.values), count, p=[0.7, 0.1, 0.08, 0.06, 0.04, 0.02])
    return [
        (
            {
                "area_mu": round(float(rng.uniform(20, 300)), 2),
                "status": status,
                "land_use": use,
                "notes": VACANT_NOTES[status],
            },
            [],
        )
        for status, use in zip(statuses.tolist(), uses.tolist(), strict=True)
    ]


def _yuan(values: np.ndarray, at: tuple[np.ndarray, np.ndarray]) -> list[Decimal]:
    return [Decimal(v) for v in np.rint(values[at]).astype(np.int64).tolist()]


def _fixed(values: np.ndarray, at: tuple[np.ndarray, np.ndarray], places: int) -> list[Decimal]:
    scaled = np.rint(values[at] * 10**places).astype(np.int64).tolist()
    return [Decimal(v).scaleb(-places) for v in scaled]


def _per_firm(values: np.ndarray, rows: np.ndarray) -> list[Decimal | None]:
    """A value each firm has once (its land, its floor area), on each of its years' rows."""
    return [None if math.isnan(v) else Decimal(f"{v:.2f}") for v in values[rows].tolist()]
