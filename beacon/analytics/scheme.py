"""Per-mu benefit evaluation schemes (亩均效益综合评价), parsed from their YAML file."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from .conditions import Condition, RuleError, parse_condition
from .yaml_lines import LinedList, line_of, read_rule_file

METHODS = ("ratio", "minmax")
BENCHMARKS = ("aggregate", "mean", "median")
MISSING = ("zero", "average_points")
DIRECTIONS = ("higher_is_better", "lower_is_better")
CLASS_METHODS = ("quota", "threshold")
# Columns of the results that an indicator key (or its '<key>_points') must not take.
RESERVED = frozenset(
    {
        "uscc",
        "name",
        "park",
        "land_mu",
        "rated",
        "not_rated_reason",
        "score",
        "class",
        "rank",
        "adjustment_points",
        "veto_reason",
    }
)


@dataclass(frozen=True)
class Indicator:
    key: str
    numerator: str
    denominator: str | None
    weight: float
    method: str = "ratio"
    benchmark: float | str | None = None
    cap: float | None = None
    missing: str = "zero"
    direction: str = "higher_is_better"
    label: dict = field(default_factory=dict)
    line: int = 0


@dataclass(frozen=True)
class Adjustment:
    when: tuple[Condition, ...]
    points: float
    reason: str


@dataclass(frozen=True)
class Veto:
    when: tuple[Condition, ...]
    reason: str


@dataclass(frozen=True)
class Classes:
    method: str
    quota: dict[str, Decimal] = field(default_factory=dict)
    thresholds: tuple[tuple[str, float | None], ...] = ()
    tie_break: tuple[str, ...] = ()


@dataclass(frozen=True)
class Scheme:
    name: str
    year: int | None
    scope: tuple[Condition, ...]
    indicators: tuple[Indicator, ...]
    adjustments: tuple[Adjustment, ...]
    vetoes: tuple[Veto, ...]
    classes: Classes

    def fields(self) -> set[str]:
        """Every input column the scheme refers to."""
        names = {c.field for c in self.scope}
        for ind in self.indicators:
            names.add(ind.numerator)
            if ind.denominator:
                names.add(ind.denominator)
        rules: tuple[Adjustment | Veto, ...] = (*self.adjustments, *self.vetoes)
        for rule in rules:
            names |= {c.field for c in rule.when}
        return names | set(self.classes.tie_break)


def _number(value, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise RuleError(f"{where}: must be a number, not {value!r}")
    return float(value)


def _conditions(raw, parent, key) -> tuple[Condition, ...]:
    line = line_of(parent, key)
    if raw is None:
        return ()
    if not isinstance(raw, list):
        raise RuleError(f"line {line}: '{key}' is a list of conditions")
    lines = getattr(raw, "item_lines", [line] * len(raw))
    return tuple(parse_condition(item, at, key) for item, at in zip(raw, lines, strict=True))


def _indicator(raw, line: int) -> Indicator:
    if not isinstance(raw, dict):
        raise RuleError(f"line {line}: an indicator is a mapping")

    def at(key):
        return f"line {line_of(raw, key)}, indicator {raw.get('key', '?')}, {key}"

    known = {
        "key",
        "label",
        "numerator",
        "denominator",
        "weight",
        "method",
        "benchmark",
        "cap",
        "missing",
        "direction",
    }
    unknown = set(raw) - known
    if unknown:
        raise RuleError(f"line {line}: unknown key in an indicator: {', '.join(sorted(unknown))}")
    for required in ("key", "numerator", "weight"):
        if required not in raw:
            raise RuleError(f"line {line}: an indicator needs '{required}'")
    method = raw.get("method", "ratio")
    if method not in METHODS:
        raise RuleError(f"{at('method')}: must be one of {', '.join(METHODS)}")
    benchmark = raw.get("benchmark")
    if method == "ratio":
        if benchmark is None:
            raise RuleError(f"line {line}, indicator {raw['key']}: a ratio needs a benchmark")
        if not (isinstance(benchmark, str) and benchmark in BENCHMARKS):
            benchmark = _number(benchmark, at("benchmark"))
            if benchmark <= 0:
                raise RuleError(f"{at('benchmark')}: must be above zero")
    missing = raw.get("missing", "zero")
    if missing not in MISSING:
        raise RuleError(f"{at('missing')}: must be one of {', '.join(MISSING)}")
    direction = raw.get("direction", "higher_is_better")
    if direction not in DIRECTIONS:
        raise RuleError(f"{at('direction')}: must be one of {', '.join(DIRECTIONS)}")
    cap = raw.get("cap")
    return Indicator(
        key=str(raw["key"]),
        numerator=str(raw["numerator"]),
        denominator=str(raw["denominator"]) if raw.get("denominator") else None,
        weight=_number(raw["weight"], at("weight")),
        method=method,
        benchmark=benchmark,
        cap=None if cap is None else _number(cap, at("cap")),
        missing=missing,
        direction=direction,
        label=dict(raw.get("label") or {}),
        line=line,
    )


def _classes(raw, line: int) -> Classes:
    if not isinstance(raw, dict):
        raise RuleError(f"line {line}: 'classes' is a mapping")
    method = raw.get("method")
    if method not in CLASS_METHODS:
        raise RuleError(f"line {line_of(raw, 'method')}: classes.method must be quota or threshold")
    tie_break = raw.get("tie_break") or []
    if not isinstance(tie_break, list) or not all(isinstance(f, str) for f in tie_break):
        raise RuleError(f"line {line_of(raw, 'tie_break')}: tie_break is a list of fields")
    if method == "quota":
        quota = raw.get("quota")
        if not isinstance(quota, dict) or set(quota) != {"A", "B", "C", "D"}:
            raise RuleError(f"line {line_of(raw, 'quota')}: quota gives shares for A, B, C and D")
        # Shares as written, in decimal, so 0.29 × 100 is 29 and not 28.999…
        shares = {}
        for name, share in quota.items():
            _number(share, f"line {line_of(quota, name)}, quota {name}")
            shares[name] = Decimal(str(share))
            if shares[name] < 0:
                raise RuleError(f"line {line_of(quota, name)}, quota {name}: must not be negative")
        if sum(shares.values()) != 1:
            raise RuleError(
                f"line {line_of(raw, 'quota')}: quota shares sum to {sum(shares.values())}, not 1"
            )
        return Classes("quota", quota=shares, tie_break=tuple(tie_break))
    thresholds = raw.get("threshold")
    if not isinstance(thresholds, LinedList) or not thresholds:
        raise RuleError(f"line {line_of(raw, 'threshold')}: threshold is a list of classes")
    out = []
    for item, at in zip(thresholds, thresholds.item_lines, strict=True):
        if not isinstance(item, dict) or "class" not in item:
            raise RuleError(f"line {at}: each threshold names a class")
        minimum = item.get("min_score")
        out.append(
            (str(item["class"]), None if minimum is None else _number(minimum, f"line {at}"))
        )
    if out[-1][1] is not None:
        raise RuleError(
            f"line {thresholds.item_lines[-1]}: the last class takes the rest (no min_score)"
        )
    for (name, minimum), at in zip(out[:-1], thresholds.item_lines, strict=False):
        if minimum is None:
            raise RuleError(
                f"line {at}: class {name} needs a min_score (only the last takes the rest)"
            )
    return Classes("threshold", thresholds=tuple(out), tie_break=tuple(tie_break))


def _items(raw, key):
    """(item, line) of a list section such as ``veto``; absent means empty."""
    items = raw.get(key) or []
    if not isinstance(items, list):
        raise RuleError(f"line {line_of(raw, key)}: '{key}' is a list")
    return zip(items, getattr(items, "item_lines", [line_of(raw, key)] * len(items)), strict=True)


def _rule_conditions(item, line: int, kind: str) -> tuple[Condition, ...]:
    """The conditions of an adjustment or veto; one that names none would hit every row."""
    if not isinstance(item, dict):
        raise RuleError(f"line {line}: each {kind} is a mapping with 'when'")
    when = _conditions(item.get("when"), item, "when")
    if not when:
        raise RuleError(f"line {line}: each {kind} needs at least one condition in 'when'")
    return when


def parse_scheme(text: str) -> Scheme:
    raw = read_rule_file(text)
    for required in ("name", "indicators", "classes"):
        if required not in raw:
            raise RuleError(f"line 1: the scheme needs '{required}'")
    indicators = raw["indicators"]
    if not isinstance(indicators, LinedList) or not indicators:
        raise RuleError(f"line {line_of(raw, 'indicators')}: indicators is a non-empty list")
    parsed = tuple(
        _indicator(item, at) for item, at in zip(indicators, indicators.item_lines, strict=True)
    )
    seen: set[str] = set()
    for ind in parsed:
        if ind.key in seen:
            raise RuleError(f"line {ind.line}: indicator key '{ind.key}' appears twice")
        seen.add(ind.key)
    adjustments = tuple(
        Adjustment(
            when=_rule_conditions(item, at, "adjustment"),
            points=_number(item.get("points"), f"line {line_of(item, 'points')}, points"),
            reason=str(item.get("reason", "")),
        )
        for item, at in _items(raw, "adjustments")
    )
    vetoes = tuple(
        Veto(when=_rule_conditions(item, at, "veto"), reason=str(item.get("reason", "")))
        for item, at in _items(raw, "veto")
    )
    year = raw.get("year")
    scheme = Scheme(
        name=str(raw["name"]),
        year=int(year) if isinstance(year, int) else None,
        scope=_conditions(raw.get("scope"), raw, "scope"),
        indicators=parsed,
        adjustments=adjustments,
        vetoes=vetoes,
        classes=_classes(raw["classes"], line_of(raw, "classes")),
    )
    # An indicator's columns must not overwrite an input field or another output column.
    taken = RESERVED | scheme.fields() | {f"{k}_points" for k in seen}
    for ind in parsed:
        if ind.key in taken or f"{ind.key}_points" in RESERVED | scheme.fields():
            raise RuleError(
                f"line {ind.line}: indicator key '{ind.key}' is already a column name; "
                "choose another key"
            )
    return scheme
