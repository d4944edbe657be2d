"""Generic views every model's pages are made of (list, detail, edit, delete, import, history).

A model's views subclass these with a few attributes. Each one reads through the
permission layer: objects outside the user's scope are 404, never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from types import SimpleNamespace
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError
from django.db.models import Max, Model, ProtectedError, Q
from django.forms import ModelChoiceField
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import resolve, reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import LazyPaginator, RequestConfig

from .. import changelog, counts, downloads, gate, permissions
from ..downloads import table_attachment
from ..forms import VERSION_FIELD, carry_version, differences, read_at
from ..models import ChangeLogEntry
from ..resources import resource_for_model
from ..tabular import CSV_ENCODINGS, SpreadsheetError, read_sheet, write_table

if TYPE_CHECKING:
    from django_filters import FilterSet
    from django_tables2 import Table


class ObjectPermissionMixin(LoginRequiredMixin):
    model: type[Model] | None = None
    action = "view"
    request: HttpRequest  # set by View, which every view of these mixes in

    def restricted(self, action: str | None = None):
        assert self.model is not None  # each concrete view names its model
        return permissions.restrict(
            self.model._default_manager.all(), self.request.user, action or self.action
        )

    def require(self, action: str | None = None) -> None:
        if not permissions.can(self.request.user, self.model, action or self.action):
            # A role without the action at all sees no such page; 404 keeps scopes unguessable.
            raise Http404

    def base_context(self) -> dict:
        user, model = self.request.user, self.model
        assert model is not None
        opts = model._meta
        url_base = f"{opts.app_label}:{opts.model_name}"

        def allowed(action, page):
            return permissions.can(user, model, action) and page in PAGES.get(model, ())

        resource = resource_for_model(model)
        return {
            "model": model,
            "verbose_name": opts.verbose_name,
            "verbose_name_plural": opts.verbose_name_plural,
            "url_base": url_base,
            "can_add": allowed("add", "add"),
            "can_change": allowed("change", "edit"),
            "can_delete": allowed("delete", "delete"),
            "can_import": allowed("add", "import") and resource is not None and resource.importable,
            "can_export": resource is not None,
        }

    def resource(self):
        """The model's import table; 404 where it has none."""
        resource = resource_for_model(self.model)
        if resource is None or not resource.importable:
            raise Http404
        return resource

    def url(self, suffix: str, *args):
        assert self.model is not None
        opts = self.model._meta
        return reverse(f"{opts.app_label}:{opts.model_name}{suffix}", args=args)


# The pages each model has, as registered by model_urls(): a link is shown only to a page
# that exists and that the user's role allows.
PAGES: dict[type, set[str]] = {}


# A list's search counts its matches up to this many (see ObjectListView.get).
SEARCH_COUNT_BOUND = 1000


class ObjectListView(ObjectPermissionMixin, View):
    """Filter, search, sort, paginate and export a list; HTMX asks for the table alone."""

    filterset_class: type[FilterSet] | None = None
    table_class: type[Table] | None = None
    template_name = "core/object_list.html"
    per_page = 50

    def get_queryset(self):
        return self.restricted("view")

    def filtered(self, query):
        """The list's filterset for ``query`` (its filters), over the rows in scope."""
        assert self.filterset_class is not None  # each concrete list names its filters
        return self.filterset_class(
            query or None, queryset=self.get_queryset(), request=self.request
        )

    def get(self, request):
        self.require("view")
        filterset = self.filtered(request.GET)
        export = request.GET.get("export")
        if filterset.is_bound and not filterset.is_valid():
            # A filter that cannot be applied shows its error and no rows: an export with a
            # mistyped filter must not quietly contain everything in scope.
            if export:
                errors = "; ".join(
                    f"{name}: {' '.join(messages)}" for name, messages in filterset.errors.items()
                )
                return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
            queryset = filterset.queryset.none()
        else:
            queryset = filterset.qs
        if export in ("csv", "xlsx"):
            assert self.model is not None and request.resolver_match is not None
            label = _("Export: %(list)s (%(format)s)") % {
                "list": self.model._meta.verbose_name_plural,
                "format": export.upper(),
            }
            return downloads.export(
                request.user,
                LIST_EXPORT,
                queryset.count(),
                label,
                page=request.resolver_match.view_name,
                filters={key: values for key, values in request.GET.lists() if key != "export"},
                fmt=export,
            )
        # configured once, below: given the request, the table would first paginate itself
        # with a paginator of its own, counting every row
        table = self.table_class(queryset)
        paginate: dict = {"per_page": self.per_page}
        more_than = None
        if filterset.is_bound and (filterset.form.cleaned_data.get("search") or "").strip():
            # Counting every match of a search reads every matching row (15,777 rows, 50 ms,
            # for 新能源 among 100,000 enterprises); its matches are counted up to a bound,
            # and past it the pager goes on page by page.
            found = counts.count(queryset[: SEARCH_COUNT_BOUND + 1])
            if found > SEARCH_COUNT_BOUND:
                more_than = SEARCH_COUNT_BOUND
        else:
            found = counts.count(queryset)
        if more_than is None:
            paginate.update(paginator_class=counts.CountedPaginator, count=found)
        else:
            paginate["paginator_class"] = LazyPaginator
        RequestConfig(request, paginate=paginate).configure(table)
        context = {
            **self.base_context(),
            "table": table,
            "more_than": more_than,
            "filter_form": filterset.form,
            "querystring": request.GET.urlencode(),
        }
        if request.headers.get("HX-Request"):
            return render(request, "core/inc/table.html", context)
        return render(request, self.template_name, context)


LIST_EXPORT = "list"


@downloads.exporter(LIST_EXPORT)
def list_file(user, *, page: str, filters: dict, fmt: str) -> tuple[str, bytes]:
    """The rows of the list page named ``page`` (its URL name) as ``user`` sees them with
    ``filters``: the same file at once or in a worker."""
    query = QueryDict(mutable=True)
    for key, values in filters.items():
        query.setlist(key, values)
    view = resolve(reverse(page)).func.view_class()  # type: ignore[attr-defined]
    view.setup(SimpleNamespace(user=user, GET=query))
    filterset = view.filtered(query)
    if filterset.is_bound and not filterset.is_valid():
        raise downloads.ExportRefused(
            [f"{name}: {' '.join(errors)}" for name, errors in filterset.errors.items()]
        )
    return export_table(view.model, filterset.qs, fmt)


def export_table(model, queryset, fmt: str) -> tuple[str, bytes]:
    """The rows of ``queryset`` in the model's import columns, as a CSV or XLSX file: its
    name and content."""
    resource = resource_for_model(model)
    if resource is None:
        raise Http404
    rows = resource.export_rows(queryset)
    return f"{slugify(resource.kind)}.{fmt}", write_table(
        fmt, resource.headers, rows, resource.kind
    )


# Other stations of the loop add a card to an object's page (an enterprise's evaluation
# results, a signed lead's key project): model -> functions (object, user) -> (template,
# context) or None, rendered below the page's own content.
PANELS: dict[type, list] = {}


def register_panel(model, make) -> None:
    PANELS.setdefault(model, []).append(make)


class ObjectView(ObjectPermissionMixin, View):
    """One object's page, with the panels other apps add to it."""

    template_name = None
    # what a model without a template of its own shows
    fallback_template = "core/object.html"

    def get_object(self, pk, action="view"):
        return get_object_or_404(self.restricted(action), pk=pk)

    def get_extra_context(self, obj) -> dict:
        return {}

    def get(self, request, pk):
        obj = self.get_object(pk)
        opts = self.model._meta
        context = {
            **self.base_context(),
            "object": obj,
            "fields": object_fields(obj),
            "tab": "detail",
            "panels": [
                panel for make in PANELS.get(self.model, ()) if (panel := make(obj, request.user))
            ],
            **self.get_extra_context(obj),
        }
        template = self.template_name or f"{opts.app_label}/{opts.model_name}.html"
        return render(request, [template, self.fallback_template], context)


def object_fields(obj) -> list[tuple[str, object]]:
    """(label, display value) for each field an object's page shows by default."""
    rows = []
    for field in obj._meta.concrete_fields:
        if field.primary_key or field.name in ("created", "updated"):
            continue
        if field.choices:
            value = getattr(obj, f"get_{field.name}_display")()
        else:
            value = getattr(obj, field.name)
        rows.append((field.verbose_name, value))
    for field in obj._meta.many_to_many:
        rows.append((field.verbose_name, ", ".join(str(v) for v in getattr(obj, field.name).all())))
    return rows


class ObjectHistoryView(ObjectView):
    """Every recorded change to an object (and to the objects filed under it)."""

    def get(self, request, pk):
        obj = self.get_object(pk)
        entries = history_for(obj, request.user)
        context = {**self.base_context(), "object": obj, "entries": entries, "tab": "history"}
        return render(request, "core/object_history.html", context)


def history_for(obj, user):
    """The last 500 changes to ``obj`` and to the rows filed under it that ``user`` could
    see (an enterprise's figures), newest first: one query on two indexes."""
    ct = ContentType.objects.get_for_model(obj)
    # What is filed under obj can be outside the user's scope while obj is inside it: those
    # changes show only if a record filed there would be visible.
    visible = [child for child in changelog.children(type(obj)) if _visible_under(user, child, obj)]
    entries = ChangeLogEntry.objects.filter(
        Q(content_type=ct, object_id=obj.pk)
        | Q(
            parent_type=ct,
            parent_id=obj.pk,
            content_type__in=ContentType.objects.get_for_models(*visible).values(),
        )
    )
    return entries.select_related("actor", "content_type").order_by("-timestamp", "-pk")[:500]


def _visible_under(user, model, parent) -> bool:
    how = changelog.recorded(model)
    assert how is not None  # one of changelog.children(): recorded, under a parent
    field = model._meta.get_field(how.parent)
    return permissions.instance_in_scope(user, model(**{field.name: parent}), "view")


class ObjectEditView(ObjectPermissionMixin, View):
    """Create or change an object; the saved row must still be inside the user's scope."""

    form_class = None
    template_name = "core/object_edit.html"

    def get_object(self, pk):
        if pk is None:
            self.require("add")
            return self.model()
        return get_object_or_404(self.restricted("change"), pk=pk)

    def get_form(self, obj, data=None, files=None):
        action = "add" if obj.pk is None else "change"
        # A new object may be started from a link that fills some fields (?enterprise=…).
        initial = self.request.GET.dict() if obj.pk is None else None
        form = self.form_class(
            data=data, files=files, instance=obj, initial=initial, user=self.request.user
        )
        limit_form(form, gate.field_access(self.request.user, self.model, action))
        if obj.pk is not None:
            carry_version(form)
        return form

    def render_form(self, obj, form, conflict=()):
        context = {**self.base_context(), "object": obj, "form": form, "conflict": conflict}
        return render(self.request, self.template_name, context)

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        return self.render_form(obj, self.get_form(obj))

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        action = "add" if obj.pk is None else "change"
        form = self.get_form(obj, request.POST, request.FILES)
        if form.is_valid():

            def save():
                if read_at(form):
                    gate.hold_unchanged(obj, read_at(form))
                return form.save()

            try:
                instance = gate.write(request.user, action, save)
            except gate.StaleEdit as stale:
                # The user's values stay in the form beside the saved ones; saving again
                # from here is a save at the current version, made knowingly.
                form.add_error(None, gate.STALE_MESSAGE)
                form.data = form.data.copy()
                form.data[form.add_prefix(VERSION_FIELD)] = gate.version(stale.current)
                return self.render_form(obj, form, differences(form, stale.current))
            except gate.OutsideScope:
                form.add_error(None, gate.SCOPE_MESSAGE)
            except IntegrityError:
                # a record with the same key was filed between the check and the save
                form.add_error(
                    None, _("A record like this was filed meanwhile; check and save again.")
                )
            else:
                messages.success(request, _("Saved %(object)s.") % {"object": instance})
                return redirect(instance.get_absolute_url())
        return self.render_form(obj, form)


def limit_form(form, access: gate.FieldAccess) -> None:
    """Keep to ``form`` the fields the user may set, offering only the choices they may make."""
    for name, field in list(form.fields.items()):
        if not access.may_set(name):
            # Fields the role may not set are left out, so their values are kept.
            del form.fields[name]
        elif isinstance(field, ModelChoiceField):
            assert field.queryset is not None  # a model form's choice field has its queryset
            if not field.required and not access.may_see(field.queryset.model):
                # Links the user may not see (an enterprise user's parcels) are left out of
                # the form, so they are kept as they are instead of failing as invalid choices.
                del form.fields[name]
            else:
                field.queryset = access.choices(name, field.queryset)


class ObjectDeleteView(ObjectPermissionMixin, View):
    template_name = "core/object_delete.html"

    def get_object(self, pk):
        return get_object_or_404(self.restricted("delete"), pk=pk)

    def get(self, request, pk):
        obj = self.get_object(pk)
        return render(request, self.template_name, {**self.base_context(), "object": obj})

    def post(self, request, pk):
        obj = self.get_object(pk)
        try:
            gate.delete(request.user, obj)
        except ProtectedError:
            messages.error(
                request,
                _("%(object)s cannot be deleted: other records refer to it.") % {"object": obj},
            )
            return redirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(object)s.") % {"object": obj})
        return redirect(self.url("_list"))


class BulkImportView(ObjectPermissionMixin, View):
    """Upload a CSV or XLSX file: every error is listed, and a file with errors writes nothing."""

    template_name = "core/object_import.html"

    def base_context(self) -> dict:
        return {**super().base_context(), "encodings": CSV_ENCODINGS, "encoding": ""}

    def get(self, request):
        self.require("add")
        self.resource()
        return render(request, self.template_name, self.base_context())

    def post(self, request):
        self.require("add")
        resource = self.resource()
        upload = request.FILES.get("file")
        context = self.base_context()
        if upload is None:
            context["file_error"] = _("Choose a file to import.")
            return render(request, self.template_name, context, status=400)
        if upload.size > settings.BEACON_UPLOAD_MAX_BYTES:
            # refused before reading, so an oversized upload costs no memory
            context["file_error"] = _("The file is larger than %(limit)s bytes.") % {
                "limit": settings.BEACON_UPLOAD_MAX_BYTES
            }
            return render(request, self.template_name, context, status=400)
        encoding = request.POST.get("encoding", "")
        context["encoding"] = encoding
        if encoding not in dict(CSV_ENCODINGS):
            context["file_error"] = _("Choose one of the encodings offered.")
            return render(request, self.template_name, context, status=400)
        try:
            data = upload.read()
            sheet = read_sheet(data, encoding or None)
        except SpreadsheetError as e:
            context["file_error"] = str(e)
            return render(request, self.template_name, context, status=400)
        dry_run = bool(request.POST.get("dry_run"))
        if IMPORT_QUEUE and len(sheet.rows) > settings.BEACON_IMPORT_INLINE_ROWS:
            # the file was read whole to count its rows; the worker checks and writes it
            queue = IMPORT_QUEUE[0]
            return redirect(queue(request.user, resource, data, encoding, dry_run))
        result = resource.run(sheet, user=request.user, dry_run=dry_run)
        context["result"] = result
        return render(request, self.template_name, context, status=200 if result.ok else 400)


# What imports a large upload in the background, registered by the jobs app:
# ``queue(user, resource, data, encoding, dry_run)`` -> the queued job's page; an upload of
# more data rows than BEACON_IMPORT_INLINE_ROWS is imported so.
IMPORT_QUEUE: list[Callable] = []


def register_import_queue(queue: Callable) -> None:
    IMPORT_QUEUE[:] = [queue]


class TemplateDownloadView(ObjectPermissionMixin, View):
    """An empty import template: the header row and one example row."""

    def get(self, request):
        self.require("add")
        resource = self.resource()
        return table_attachment(
            request.GET.get("format", "xlsx"),
            resource.headers,
            [resource.example_row()],
            f"{resource.kind}-template",
            resource.kind,
        )


class RelatedListView(ObjectListView):
    """A list that reads what its table shows of other rows (the objects it links to, a
    rule file's latest version) in the same query, not one per row."""

    related: tuple[str, ...] = ()
    annotations: dict = {}

    def get_queryset(self):
        queryset = super().get_queryset().annotate(**self.annotations)
        # select_related() without names would follow every foreign key.
        return queryset.select_related(*self.related) if self.related else queryset


# Each page a model may have: its path under the model's prefix and its URL name's suffix.
ROUTES = {
    "list": ("", "_list"),
    "add": ("add/", "_add"),
    "import": ("import/", "_import"),
    "template": ("import/template/", "_template"),
    "detail": ("<int:pk>/", ""),
    "edit": ("<int:pk>/edit/", "_edit"),
    "delete": ("<int:pk>/delete/", "_delete"),
    "history": ("<int:pk>/history/", "_history"),
    # a rule file's versions (beacon.core.versions)
    "download": ("<int:pk>/download/", "_download"),
}
# The pages of a model, unless it names its own; a rule file adds its download.
EVERY_PAGE = tuple(page for page in ROUTES if page != "download")


def views_for(
    model, filterset=None, table=None, form=None, related=(), pages=EVERY_PAGE, **views
) -> dict:
    """The ``pages`` of a model: for each, the view given by its name (``detail=ParkView``)
    or the generic one. ``related`` are the foreign keys the list's table shows."""
    unknown = set(pages) - set(ROUTES) or set(views) - set(pages)
    if unknown:
        raise ValueError(f"{model.__name__}: no such page among its pages: {sorted(unknown)}")
    attrs = {"model": model}
    generic = {
        "list": (
            RelatedListView,
            {"filterset_class": filterset, "table_class": table, "related": related},
        ),
        "add": (ObjectEditView, {"form_class": form}),
        "import": (BulkImportView, {}),
        "template": (TemplateDownloadView, {}),
        "detail": (ObjectView, {}),
        "edit": (ObjectEditView, {"form_class": form}),
        "delete": (ObjectDeleteView, {}),
        "history": (ObjectHistoryView, {}),
    }
    from ..versions import VersionDownloadView, VersionedObjectView

    if "download" in pages:
        generic["detail"] = (VersionedObjectView, {})
        generic["download"] = (VersionDownloadView, {})
        generic["list"][1]["annotations"] = {"latest_version": Max("versions__number")}
    made = {}
    for page in pages:
        if page in views:
            made[page] = views[page]
            continue
        base, extra = generic[page]
        name = f"{model.__name__}{page.title()}View"
        made[page] = type(name, (base,), {**attrs, **extra})
    return made


def model_urls(prefix: str, model_name: str, views: dict):
    """One model's pages under ``prefix/``, named ``<model>_list``, ``<model>``, …"""
    from django.urls import path

    patterns = []
    for key, view in views.items():
        PAGES.setdefault(view.model, set()).add(key)
        route, suffix = ROUTES[key]
        patterns.append(path(f"{prefix}/{route}", view.as_view(), name=f"{model_name}{suffix}"))
    return patterns


__all__ = [
    "BulkImportView",
    "ObjectDeleteView",
    "ObjectEditView",
    "ObjectHistoryView",
    "ObjectListView",
    "ObjectView",
    "RelatedListView",
    "TemplateDownloadView",
    "model_urls",
    "views_for",
]
