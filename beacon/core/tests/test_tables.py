"""The list tables' cell rendering: the cached signature lookup answers as django-tables2's
own does, for every kind of render function a table uses."""

import re

import django_tables2.utils
import pytest

from beacon.core import tables


class Column:
    def render(self, value):
        return value

    def render_with_record(self, value, record, **extra):
        return value


def plain(value, *args, bound_column=None):
    return value


@pytest.mark.parametrize(
    "function",
    [
        Column().render,
        Column().render_with_record,
        plain,
        lambda record: record,
        Column.render,
    ],
    ids=["bound method", "bound method with **kwargs", "function", "lambda", "unbound method"],
)
def test_cached_signature_answers_as_the_library_does(function):
    assert django_tables2.utils.signature is tables._cached_signature
    assert tables._cached_signature(function) == tables._signature(function)
    # a second lookup (a bound method is a new object each time) gives the same answer
    assert tables._cached_signature(function) == tables._signature(function)


def test_calls_pass_only_the_arguments_a_render_function_takes():
    column = Column()
    arguments = {"value": 3, "record": "r", "bound_column": None}
    assert django_tables2.utils.call_with_appropriate(column.render, arguments) == 3
    assert django_tables2.utils.call_with_appropriate(column.render_with_record, arguments) == 3
    assert django_tables2.utils.call_with_appropriate(lambda missing: 1, arguments) is None


@pytest.mark.django_db
def test_a_table_body_draws_each_cell_with_its_columns_attributes(zone, client_for):
    admin = client_for("zone_admin")
    html = admin.get("/registry/figures/?sort=year&park=P1").content.decode()
    body = html[html.index("<tbody") : html.index("</tbody>")]
    rows = re.findall(r"<tr[^>]*>(.*?)</tr>", body)
    # two enterprises of P1, two years each
    assert len(rows) == 4
    cells = re.findall(r"<td ([^>]*)>(.*?)</td>", rows[0])
    link = f'<a href="/registry/figures/{first_figure(zone)}/">2022</a>'
    assert cells[0] == ("", link)
    # amounts are right-aligned
    assert ('class="numeric"', "120000000.00") in cells
    empty = admin.get("/registry/enterprises/?search=nothing-like-this").content.decode()
    body = empty[empty.index("<tbody") : empty.index("</tbody>")]
    assert re.search(r'<td colspan="8" class="text-secondary">Nothing found.</td>', body)


def first_figure(zone) -> int | None:
    from beacon.registry.models import AnnualFigure

    figures = AnnualFigure.objects.filter(enterprise__park=zone["p1"])
    return figures.order_by("year", "pk").values_list("pk", flat=True).first()
