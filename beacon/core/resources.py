"""Import and export of a model as a flat table with canonical snake_case columns.

A ``Resource`` names a model's columns once; the same columns serve import, export,
templates and list exports. Imports validate the whole file before anything is written:
every problem comes back as ``row N, column X: reason``, and a file with any problem
writes nothing. A clean file is written in one transaction, through the change log.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import cast

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models
from django.utils import timezone
from django.utils.translation import gettext as _

from beacon.analytics.io import FALSE_WORDS, TRUE_WORDS

from . import existence, gate, permissions
from .changelog import bulk_create_logged, bulk_update_logged, field_values
from .tabular import Sheet


class CellError(ValueError):
    pass


def parse_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_decimal(value) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise CellError(_("not a number"))
    try:
        number = Decimal(str(value).replace(",", "").strip())
    except InvalidOperation:
        raise CellError(_("not a number: %(value)s") % {"value": value}) from None
    if not number.is_finite():
        raise CellError(_("not a number: %(value)s") % {"value": value})
    if number < 0:
        raise CellError(_("must not be negative"))
    return number


def parse_int(value) -> int | None:
    number = parse_decimal(value)
    if number is None:
        return None
    if number != number.to_integral_value():
        raise CellError(_("not a whole number: %(value)s") % {"value": value})
    return int(number)


def parse_bool(value) -> bool:
    if isinstance(value, bool):
        return value
    word = parse_text(value).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("not yes or no: %(value)s") % {"value": value})


def parse_date(value) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip().replace("/", "-").replace(".", "-")
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise CellError(_("not a date (YYYY-MM-DD): %(value)s") % {"value": value}) from None


PARSERS: dict[str, Callable] = {
    "text": parse_text,
    "decimal": parse_decimal,
    "int": parse_int,
    "bool": parse_bool,
    "date": parse_date,
}


@dataclass
class Column:
    """One column: canonical name, Chinese header aliases, and how to read and write it.

    ``kind`` is a parser name, ``"fk"`` (a related object looked up by ``lookup`` field),
    ``"m2m"`` (several, separated by ``;``) or ``"choice"`` (the model field's choices,
    accepted by value or label).
    """

    name: str
    aliases: Sequence[str] = ()
    kind: str = "text"
    attr: str | None = None  # model field name, defaults to the column name
    lookup: str = "code"  # for fk/m2m: the related field the cell holds
    required: bool = False
    example: object = ""
    value: Callable | None = None  # export-only columns computed from the object

    @property
    def field_name(self) -> str:
        return self.attr or self.name


# The enterprise, by its code, and the year a row of annual data is about (figures, facts).
ENTERPRISE_YEAR = (
    Column(
        "uscc",
        ("统一社会信用代码", "信用代码"),
        kind="fk",
        attr="enterprise",
        lookup="uscc",
        required=True,
        example="91440600MA4WXXKB3L",
    ),
    Column("year", ("年度", "年份"), kind="int", required=True, example=2024),
)


@dataclass
class RowProblem:
    row: int
    column: str
    reason: str

    def __str__(self):
        return _("row %(row)s, column %(column)s: %(reason)s") % {
            "row": self.row,
            "column": self.column,
            "reason": self.reason,
        }


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowProblem] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        return _("%(created)s created, %(updated)s updated, %(unchanged)s unchanged") % {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


class Resource:
    """The table form of a model. Subclasses set ``kind``, ``model``, ``key`` and ``columns``.

    A resource that is not ``importable`` (the audit logs) only exports.
    """

    importable = True

    kind: str
    model: type[models.Model]
    key: Sequence[str]  # column names identifying a row; re-importing updates
    columns: Sequence[Column]
    select_related: Sequence[str] = ()

    # -- columns -----------------------------------------------------------------------
    @property
    def headers(self) -> list[str]:
        return [c.name for c in self.columns]

    def column_for_header(self) -> dict[str, Column]:
        index = {}
        for col in self.columns:
            for name in (col.name, *col.aliases):
                index[name.strip().lower()] = col
        return index

    def field_to_column(self, field_name: str) -> str:
        for col in self.columns:
            if col.field_name == field_name:
                return col.name
        return field_name

    # -- export ------------------------------------------------------------------------
    @staticmethod
    def cell(value):
        """A stored value as a spreadsheet cell."""
        if isinstance(value, Decimal):
            return int(value) if value == value.to_integral_value() else float(value)
        if isinstance(value, dt.datetime):
            return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S")
        if isinstance(value, dt.date):
            return value.isoformat()
        return value

    def export_rows(self, queryset, chunk: int = 2000) -> Iterable[list]:
        """The rows of ``queryset`` in this table's columns.

        Values are read as tuples, not model instances, and each many-to-many column with
        one query per chunk: an export of 100,000 enterprises builds no objects.
        """
        if any(c.value for c in self.columns):
            # computed columns need the object
            related = queryset.select_related(*self.select_related)
            for obj in related.iterator(chunk_size=chunk):
                yield [
                    self.cell(c.value(obj) if c.value else getattr(obj, c.field_name))
                    for c in self.columns
                ]
            return
        plain = [c for c in self.columns if c.kind != "m2m"]
        paths = [f"{c.field_name}__{c.lookup}" if c.kind == "fk" else c.field_name for c in plain]
        m2m = [c for c in self.columns if c.kind == "m2m"]
        rows = queryset.values_list("pk", *paths).iterator(chunk_size=chunk)
        while batch := list(itertools.islice(rows, chunk)):
            links = {c.name: self._m2m_codes(c, [r[0] for r in batch]) for c in m2m}
            for pk, *values in batch:
                by_name = dict(zip((c.name for c in plain), values, strict=True))
                yield [
                    ";".join(sorted(links[c.name].get(pk, ())))
                    if c.kind == "m2m"
                    else self.cell(by_name[c.name])
                    for c in self.columns
                ]

    def _m2m_codes(self, col: Column, pks: list) -> dict:
        field = self.model._meta.get_field(col.field_name)
        assert isinstance(field, models.ManyToManyField)  # an "m2m" column's field
        through = field.remote_field.through
        assert through is not None  # set (auto-created if need be) once the apps are loaded
        source = field.m2m_field_name()
        target = field.m2m_reverse_field_name()
        codes: dict = {}
        pairs = through._default_manager.filter(**{f"{source}__in": pks}).values_list(
            f"{source}_id", f"{target}__{col.lookup}"
        )
        for pk, code in pairs:
            codes.setdefault(pk, []).append(str(code))
        return codes

    def example_row(self) -> list:
        return [c.example for c in self.columns]

    # -- import ------------------------------------------------------------------------
    def lookup_map(self, col: Column, user) -> dict[str, models.Model]:
        """Related objects by their key, restricted to what the user may see."""
        # a relation's model, resolved once the apps are loaded (not "self" or a label)
        related = cast(type[models.Model], self.model._meta.get_field(col.field_name).related_model)
        qs = related._default_manager.all()
        if user is not None:
            qs = permissions.restrict(qs, user, "view")
        return {str(getattr(o, col.lookup)).upper(): o for o in qs}

    def existing(self, keys: list[tuple]) -> dict[tuple, models.Model]:
        """Saved objects by key, for the keys in the file (all of them, in scope or not)."""
        cols = {c.name: c for c in self.columns}
        fields = [cols[k].field_name for k in self.key]
        fks = [cols[k].field_name for k in self.key if cols[k].kind == "fk"]
        found = {}
        for start in range(0, len(keys), 2000):
            chunk = keys[start : start + 2000]
            filters = {f"{f}__in": {k[i] for k in chunk} for i, f in enumerate(fields)}
            qs = self.model._default_manager.filter(**filters).select_related(
                *fks, *self.select_related
            )
            for obj in qs:
                found[tuple(getattr(obj, f) for f in fields)] = obj
        return found

    def key_of(self, values: dict) -> tuple:
        return tuple(values.get(k) for k in self.key)

    def run(self, sheet: Sheet, user=None, dry_run: bool = False) -> ImportResult:
        result = ImportResult(dry_run=dry_run)
        columns = self._columns(sheet, result.errors)
        if result.errors:
            return result
        parsed = self._parse_rows(sheet, columns, user, result.errors)
        plan, hidden = self._plan(parsed, user, result.errors)
        if hidden:
            self._refuse_hidden(plan, hidden, result, user, dry_run)
        if not result.errors:
            self._write_through_gate([p for p in plan if p[0] not in hidden], result, user, dry_run)
            if dry_run:
                result.created += len(hidden)
        return self._sorted(result, columns)

    def _refuse_hidden(self, plan, hidden: dict, result: ImportResult, user, dry_run) -> None:
        """Rows whose key a record out of the user's sight holds read as new rows (a dry run
        counts them created, as it would an unknown key) and are refused, with the neutral
        message, when written; the attempt is on the record's history either way."""
        existence.report_attempt(user, list(hidden.values()), "import")
        if not dry_run:
            result.errors.extend(
                RowProblem(rownum, self.key[0], str(existence.NEUTRAL))
                for rownum, _b, _i, _m in plan
                if rownum in hidden
            )

    def _columns(self, sheet: Sheet, errors: list[RowProblem]) -> list[Column | None]:
        """The column each header names; problems with the header row go to ``errors``."""
        index = self.column_for_header()
        columns: list[Column | None] = []
        for position, header in enumerate(sheet.headers, start=1):
            col = index.get(header.strip().lower())
            if col is None:
                errors.append(RowProblem(1, header or str(position), _("unknown column")))
            elif col in columns:
                errors.append(RowProblem(1, header, _("column appears twice")))
            columns.append(col)
        present = {c.name for c in columns if c}
        for name in self.key:
            if name not in present:
                errors.append(RowProblem(1, name, _("required column is missing")))
        if not errors and not sheet.rows:
            errors.append(RowProblem(2, self.key[0], _("the file has no data rows")))
        return columns

    def _parse_rows(self, sheet, columns, user, errors) -> list[tuple[int, dict]]:
        """Each row's values by column name, for the rows that read cleanly; every problem,
        a key that appears twice included, goes to ``errors``."""
        present = {c.name for c in columns if c}
        lookups = {
            c.name: self.lookup_map(c, user) for c in columns if c and c.kind in ("fk", "m2m")
        }
        parsed: list[tuple[int, dict]] = []
        seen: dict[tuple, int] = {}
        for rownum, raw in zip(sheet.numbers, sheet.rows, strict=True):
            values, failed = {}, set()
            for col, cell in zip(columns, raw, strict=True):
                try:
                    values[col.name] = self.parse_cell(col, cell, lookups)
                except CellError as e:
                    errors.append(RowProblem(rownum, col.name, str(e)))
                    failed.add(col.name)
            for col in self.columns:
                if col.required and col.name in present and values.get(col.name) in (None, ""):
                    if col.name not in failed:
                        errors.append(RowProblem(rownum, col.name, _("required")))
                    failed.add(col.name)
            if failed:
                continue
            key = self.key_of(values)
            if key in seen:
                reason = _("duplicate of row %(row)s") % {"row": seen[key]}
                errors.append(RowProblem(rownum, self.key[-1], reason))
            else:
                seen[key] = rownum
            parsed.append((rownum, values))
        return parsed

    def _plan(self, parsed, user, errors) -> tuple[list[tuple], dict]:
        """``(row, saved object or None, object to write, many-to-many values)`` for each
        row that passes the model's checks and the user's scope and fields; and the saved
        records out of the user's sight whose keys rows name, by row."""
        existing = self.existing([k for k in (self.key_of(v) for _r, v in parsed) if None not in k])
        visible = self._visible(existing.values(), user)
        plan, hidden = [], {}
        for rownum, values in parsed:
            before = existing.get(self.key_of(values))
            if before is not None and before.pk not in visible:
                hidden[rownum], before = before, None  # as if there were none
            if before is not None and (
                user is not None and not permissions.instance_in_scope(user, before, "change")
            ):
                errors.append(RowProblem(rownum, self.key[0], _("outside your scope")))
                continue
            instance = self.build(values, before)
            action = "add" if before is None else "change"
            problems = self.validate(instance, user, action, values)
            problems += self.unwritable(instance, before, values, user, action)
            errors.extend(RowProblem(rownum, c, r) for c, r in problems)
            if not problems:
                m2m = {
                    c.field_name: values[c.name]
                    for c in self.columns
                    if c.kind == "m2m" and c.name in values
                }
                plan.append((rownum, before, instance, m2m))
        return plan, {
            rownum: row for rownum, row in hidden.items() if rownum in {p[0] for p in plan}
        }

    def _visible(self, rows, user) -> set:
        """The pks of ``rows`` the user may see (all of them for the command line)."""
        pks = [row.pk for row in rows]
        if user is None:
            return set(pks)
        visible: set = set()
        for start in range(0, len(pks), 5000):
            chunk = self.model._default_manager.filter(pk__in=pks[start : start + 5000])
            visible |= set(permissions.restrict(chunk, user, "view").values_list("pk", flat=True))
        return visible

    def _write_through_gate(self, plan, result: ImportResult, user, dry_run: bool) -> None:
        """Write the plan in one transaction; a row that would land outside the user's
        scope undoes the whole file and is reported."""
        row_of = {id(instance): rownum for rownum, _b, instance, _m in plan}
        action = {id(inst): "add" if before is None else "change" for _r, before, inst, _m in plan}

        def work():
            self.write(plan, result, user)
            return [instance for _r, _b, instance, _m in plan]

        try:
            gate.write(user, lambda obj: action[id(obj)], work, dry_run=dry_run)
        except gate.OutsideScope as outside:
            result.created = result.updated = result.unchanged = 0
            result.errors.extend(
                RowProblem(row_of[id(obj)], self.scope_column(), _("outside your scope"))
                for obj in outside.objects
            )
        except IntegrityError:
            # another import or user filed some of these rows since the file was read
            result.created = result.updated = result.unchanged = 0
            result.errors.extend(self._filed_meanwhile(plan, user))

    def _filed_meanwhile(self, plan, user) -> list[RowProblem]:
        """The new rows whose keys are now taken, each with the message its key's record
        allows the user to read: "filed meanwhile" if they may see it, the neutral one if
        not; one row-less problem if none of the keys explains the clash."""
        new = [(rownum, instance) for rownum, before, instance, _m in plan if before is None]
        now = self.existing([self.key_of_instance(inst) for _r, inst in new])
        visible = self._visible(now.values(), user)
        problems = []
        for rownum, inst in new:
            row = now.get(self.key_of_instance(inst))
            if row is None:
                continue
            reason = (
                _("filed meanwhile by someone else; import the file again to update it")
                if row.pk in visible
                else existence.NEUTRAL
            )
            problems.append(RowProblem(rownum, self.key[0], str(reason)))
        return problems or [
            RowProblem(1, self.key[0], _("another change got in the way; import the file again"))
        ]

    def key_of_instance(self, instance) -> tuple:
        cols = {c.name: c for c in self.columns}
        return tuple(getattr(instance, cols[k].field_name) for k in self.key)

    def _sorted(self, result: ImportResult, columns) -> ImportResult:
        """Problems in reading order: by row, then by the column's place in the file."""
        order = {c.name: i for i, c in enumerate(columns) if c}
        result.errors.sort(key=lambda e: (e.row, order.get(e.column, len(order))))
        return result

    def parse_cell(self, col: Column, cell, lookups):
        if col.kind in ("fk", "m2m"):
            text = parse_text(cell)
            if not text:
                return None if col.kind == "fk" else []
            keys = (
                [t.strip() for t in text.split(";") if t.strip()] if col.kind == "m2m" else [text]
            )
            found = []
            for key in keys:
                obj = lookups[col.name].get(key.upper())
                if obj is None:
                    raise CellError(_("unknown: %(value)s") % {"value": key})
                found.append(obj)
            return found if col.kind == "m2m" else found[0]
        if col.kind == "choice":
            text = parse_text(cell)
            field = self.model._meta.get_field(col.field_name)
            # a "choice" column's field is a model field with choices
            assert isinstance(field, models.Field) and field.choices is not None
            for value, label in field.choices:
                if text.lower() in (str(value).lower(), str(label).lower()):
                    return value
            if not text:
                return field.get_default()
            raise CellError(
                _("must be one of %(choices)s")
                % {"choices": ", ".join(v for v, _l in field.choices)}
            )
        value = PARSERS[col.kind](cell)
        if col.kind == "text" and value:
            # the model's own reading of a typed value: a USCC in any case is one company
            field = self.model._meta.get_field(col.field_name)
            assert isinstance(field, models.Field)  # a text column is a concrete field
            value = field.to_python(value)
        return value

    def build(self, values: dict, before):
        instance = self.model() if before is None else _copy(before)
        for col in self.columns:
            if col.name in values and col.kind != "m2m":
                setattr(instance, col.field_name, self._as_stored(col, values[col.name]))
        return instance

    def _as_stored(self, col: Column, value):
        """A decimal with the places its column stores (the export writes 1350.00 as 1350),
        so that re-importing an export changes nothing; a value with more places is left
        for the field's own check to refuse."""
        if not isinstance(value, Decimal) or col.kind != "decimal":
            return value
        field = self.model._meta.get_field(col.field_name)
        if not isinstance(field, models.DecimalField) or field.decimal_places is None:
            return value
        try:
            stored = value.quantize(Decimal(1).scaleb(-field.decimal_places))
        except InvalidOperation:
            return value
        return stored if stored == value else value

    def validate(self, instance, user, action: str, values: dict) -> list[tuple[str, str]]:
        problems = []
        try:
            instance.full_clean(validate_unique=False, validate_constraints=False)
        except ValidationError as e:
            for field_name, messages in e.message_dict.items():
                for message in messages:
                    problems.append((self.field_to_column(field_name), message))
        if problems or user is None:
            return problems
        problems = self.unchoosable(values, gate.field_access(user, self.model, action))
        if not problems and not permissions.instance_in_scope(user, instance, action):
            problems.append((self.scope_column(), _("outside your scope")))
        return problems

    def unchoosable(self, values: dict, access: gate.FieldAccess) -> list[tuple[str, str]]:
        """Columns naming objects the user may see but may not file a row under (a park
        officer's other parks), as the form's choices leave them out."""
        problems = []
        for col in self.columns:
            if col.kind not in ("fk", "m2m") or values.get(col.name) in (None, []):
                continue
            allowed = access.choice_ids(col.field_name)
            chosen = values[col.name] if col.kind == "m2m" else [values[col.name]]
            if allowed is not None and any(obj.pk not in allowed for obj in chosen):
                problems.append((col.name, _("outside your scope")))
        return problems

    def unwritable(self, instance, before, values, user, action) -> list[tuple[str, str]]:
        """Columns whose value the user's role may not set, where the row would change them.

        Comparing with the saved values lets a user re-import an exported file unchanged.
        """
        if user is None:
            return []
        access = gate.field_access(user, self.model, action)
        problems = []
        for col in self.columns:
            if col.name not in values or col.name in self.key or access.may_set(col.field_name):
                continue
            if col.kind == "m2m":
                old: object = (
                    set()
                    if before is None
                    else {o.pk for o in getattr(before, col.field_name).all()}
                )
                changed = old != {o.pk for o in values[col.name]}
            else:
                field = self.model._meta.get_field(col.field_name)
                assert isinstance(field, models.Field)  # a column's own field, not a relation's
                old = None if before is None else getattr(before, field.attname)
                changed = old != getattr(instance, field.attname)
            if changed:
                problems.append((col.name, _("your role may not change this column")))
        return problems

    def scope_column(self) -> str:
        return self.key[0]

    def create(self, objs: list[models.Model], user) -> None:
        """Write the new rows; a station whose objects are opened by a service (a lead)
        calls that service instead."""
        bulk_create_logged(self.model, objs)

    def write(self, plan, result: ImportResult, user) -> None:
        new = [p for p in plan if p[1] is None]
        self.create([p[2] for p in new], user)
        result.created = len(new)
        updates = [(before, inst) for _r, before, inst, _m in plan if before is not None]
        fields = [c.field_name for c in self.columns if c.kind != "m2m" and c.field_name != "pk"]
        if updates:
            bulk_update_logged(self.model, updates, fields)
        m2m_changed = set()
        for _rownum, before, instance, m2m in plan:
            for name, objs in m2m.items():
                manager = getattr(instance, name)
                if before is None or {o.pk for o in manager.all()} != {o.pk for o in objs}:
                    manager.set(objs)  # sends m2m_changed, which the change log records
                    if before is not None:
                        m2m_changed.add(instance.pk)
        changed_pks = {
            inst.pk
            for before, inst in updates
            if field_values(before, fields) != field_values(inst, fields)
        } | m2m_changed
        result.updated = len(changed_pks)
        result.unchanged = len(updates) - result.updated


def _copy(obj):
    clone = type(obj)()
    clone.__dict__.update({k: v for k, v in obj.__dict__.items() if k != "_state"})
    clone._state.adding = False
    clone._state.db = obj._state.db
    clone._state.fields_cache = dict(obj._state.fields_cache)
    return clone


_RESOURCES: dict[str, Resource] = {}


def register(resource_class: type[Resource]) -> type[Resource]:
    _RESOURCES[resource_class.kind] = resource_class()
    return resource_class


def get_resource(kind: str) -> Resource:
    return _RESOURCES[kind]


def resource_kinds(importable_only: bool = False) -> list[str]:
    return sorted(k for k, r in _RESOURCES.items() if r.importable or not importable_only)


def resource_for_model(model) -> Resource | None:
    for resource in _RESOURCES.values():
        if resource.model is model:
            return resource
    return None
