"""The body of a list table, drawn in one pass.

django-tables2's template draws every cell through the template engine and recomputes the
column's attributes for each one (four dictionaries and a format per cell); for a page of
50 rows of 8 columns that was a third of the table's time. This draws the same markup:
each column's ``td`` attributes are computed once per table unless they depend on the
cell (a callable), and each value is localized and escaped as ``{{ cell }}`` would be.

Each cell's value is found as django-tables2 finds it, but what the library works out
again for every cell (the accessor's parts, whether it ends at a field with choices, which
arguments the render function takes) is worked out once per column.
"""

import django_tables2.utils
from django import template
from django.db import models
from django.template.base import render_value_in_context
from django.utils import formats
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django_tables2 import BooleanColumn, ManyToManyColumn
from django_tables2.columns.base import LinkTransform
from django_tables2.columns.linkcolumn import BaseLinkColumn
from django_tables2.utils import Accessor, AttributeDict

register = template.Library()

CELL_ARGUMENTS = ("value", "record", "column", "bound_column", "bound_row", "table")


def _per_cell(attrs) -> bool:
    return any(callable(v) or (isinstance(v, dict) and _per_cell(v)) for v in attrs.values())


def _cell_function(table, bound_column):
    """``(row) -> cell``, the same as ``row.get_cell(name)``, or None for a column the
    library draws itself (many-to-many, link columns, a render function it would skip)."""
    column, name = bound_column.column, str(bound_column.accessor)
    if isinstance(column, (ManyToManyColumn, BaseLinkColumn)) or "." in name:
        return None
    render, link, empty = bound_column.render, bound_column.link, column.empty_values
    args, catch_all = django_tables2.utils.signature(render)
    if not catch_all and not set(args) <= set(CELL_ARGUMENTS):
        return None
    wanted = CELL_ARGUMENTS if catch_all else tuple(args)
    accessor = Accessor(name)
    path, _, remainder = name.rpartition(Accessor.SEPARATOR)
    head, last = Accessor(path), Accessor(remainder)
    display = f"get_{remainder}_display"
    # the library asks of each cell whether the accessor ends at a field with choices,
    # from the record's model: asked here once per model
    choices: dict[type, bool] = {}
    # a yes/no column draws one of two marks, unless its field has choices
    marks = (
        {flag: render(value=flag, record=None, bound_column=bound_column) for flag in (True, False)}
        if type(column) is BooleanColumn
        else None
    )

    def cell(row):
        record = row.record
        kind = type(record)
        if kind not in choices:
            field = accessor.get_field(record)  # None for a record that is not a model's
            choices[kind] = bool(getattr(field, "choices", None))
        penultimate = head.resolve(record, quiet=True)
        show = None
        if choices[kind] and isinstance(penultimate, models.Model):
            show = getattr(penultimate, display, None)
        if show is not None:
            value = show()
        else:
            try:
                value = last.resolve(penultimate)
            except Exception:  # as the library's: a value it cannot reach is missing
                value = None
        if value in empty:
            return bound_column.default
        arguments = {
            "value": value,
            "record": record,
            "column": column,
            "bound_column": bound_column,
            "bound_row": row,
            "table": table,
        }
        if marks is not None and not choices[kind]:
            content = marks[bool(value)]
        else:
            content = render(**{a: arguments[a] for a in wanted})
        if not link:
            return content
        if to_page is not None and not choices[kind]:
            linked = to_page(value, record, content)
            if linked is not None:
                return linked
        return link(content, **arguments)

    to_page = _page_link(link, bound_column)
    return cell


def _page_link(link, bound_column):
    """``(value, record, content) -> link`` for a ``linkify=True`` column, as the library
    links it: to the value's page, or else the row's (None when neither has a page). None
    for any other kind of link."""
    if (
        type(link) is not LinkTransform
        or link.url is not None
        or link.reverse_args
        # the library links to the page of what this accessor reaches: the cell's value
        or str(bound_column.name if link.accessor is None else link.accessor)
        != str(bound_column.accessor)
        or "href" in (link.attrs or {})
        or _per_cell(link.attrs or {})
    ):
        return None
    attrs = AttributeDict(link.attrs or {}).as_html()
    opening = f"<a {attrs} href=" if attrs else "<a href="

    def linked(value, record, content):
        target = value if hasattr(value, "get_absolute_url") else record
        if not hasattr(target, "get_absolute_url"):
            return None
        url = target.get_absolute_url()
        if url is None:
            return content
        return mark_safe(  # nosec B308 B703: the address and the content are escaped
            f'{opening}"{escape(url)}">{conditional_escape(content)}</a>'
        )

    return linked


def _cell_functions(table) -> dict:
    """Each column's fast cell function, or None where the library draws the cell."""
    return {c.name: _cell_function(table, c) for c in table.columns}


@register.simple_tag(takes_context=True)
def table_rows(context, table):
    columns = list(table.columns)
    per_cell = _per_cell(dict(table.attrs)) or any(_per_cell(c.column.attrs) for c in columns)
    td = {} if per_cell else {c.name: c.attrs["td"].as_html() for c in columns}
    # a callable attribute reads the cell the library's own iteration leaves on its column
    cells = {} if per_cell else _cell_functions(table)
    html: list[str] = []
    # attributes come escaped from as_html(), values from the two escapes below
    for row in table.paginated_rows:
        html += ("<tr ", row.attrs.as_html(), ">")
        for column in columns:
            function = cells.get(column.name)
            if function is None:
                column.current_value = cell = row.get_cell(column.name)
                column.current_record = row.record
            else:
                cell = function(row)
            if column.localize is None:
                text = render_value_in_context(cell, context)
            else:
                text = conditional_escape(str(formats.localize(cell, use_l10n=column.localize)))
            attrs = td[column.name] if td else column.attrs["td"].as_html()
            html += ("<td ", attrs, ">", text, "</td>")
        html.append("</tr>")
    if not html:
        html.append(
            format_html(
                '<tr><td colspan="{}" class="text-secondary">{}</td></tr>',
                len(columns),
                _("Nothing found."),
            )
        )
    return mark_safe("".join(html))  # nosec B308 B703
