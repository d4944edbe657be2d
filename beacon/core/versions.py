"""Rule files kept as numbered versions (evaluation schemes, chains, status rules).

The owner (a scheme, a chain) has ``versions``; each saved text is the next version and is
never changed, so whatever used a version (a run, a target list) can always show it.
The form takes the text typed or uploaded and checks it with the owner's parser; the
download view serves any version's file.
"""

from __future__ import annotations

from django import forms
from django.db import models
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views import View

from beacon.analytics.conditions import RuleError

from .downloads import attachment
from .models import Recorded, user_field
from .views.generic import ObjectPermissionMixin, ObjectView

MAX_RULE_FILE_BYTES = 200_000


class RuleFileVersion(models.Model):
    """One saved text of a rule file; the subclass adds the owner's foreign key."""

    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("file (YAML)"))
    comment = models.CharField(_("what changed"), max_length=300, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = user_field(_("saved by"))

    # A version is recorded on its owner's history (the subclass names the owner's foreign
    # key); its text is the version itself, shown and downloaded as such, never a change.
    change_log = Recorded(exclude=("text",))

    class Meta:
        abstract = True


class VersionedMixin:
    """For the owner model: its latest version."""

    @property
    def current(self):
        return self.versions.order_by("-number").first()


def save_version(owner, text: str, user, comment: str = ""):
    """Save ``text`` as ``owner``'s next version; None when it is the current text already."""
    current = owner.current
    if current is not None and current.text == text:
        return None
    number = 1 if current is None else current.number + 1
    return owner.versions.create(number=number, text=text, comment=comment, created_by=user)


class RuleFileFormMixin(forms.Form):
    """The rule file of a model form: typed in, or uploaded (which wins), checked by
    ``check_text`` (RuleError lines become the field's errors), saved as the next version."""

    text = forms.CharField(
        label=_("file (YAML)"),
        required=False,
        strip=False,
        widget=forms.Textarea(
            attrs={"rows": 24, "class": "form-control font-monospace", "spellcheck": "false"}
        ),
    )
    upload = forms.FileField(label=_("or upload a YAML file"), required=False)
    comment = forms.CharField(label=_("what changed"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.current if self.instance.pk else None
        if current is not None:
            self.fields["text"].initial = current.text

    def check_text(self, text: str) -> None:
        raise NotImplementedError

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        text = cleaned.get("text") or ""
        if upload is not None:
            if upload.size > MAX_RULE_FILE_BYTES:
                self.add_error("upload", _("A rule file is at most 200 kB."))
                return cleaned
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", _("The file is not UTF-8 text."))
                return cleaned
        text = text.replace("\r\n", "\n")
        if not text.strip():
            self.add_error("text", _("Write the file or upload it."))
            return cleaned
        try:
            self.check_text(text)
        except RuleError as e:
            for line in str(e).splitlines():
                self.add_error("upload" if upload is not None else "text", line)
        cleaned["text"] = text
        return cleaned

    def _save_m2m(self):
        super()._save_m2m()
        save_version(
            self.instance,
            self.cleaned_data["text"],
            self.user,
            self.cleaned_data.get("comment", ""),
        )


class VersionedObjectView(ObjectView):
    """A rule file's page: its latest version and the list of every version."""

    fallback_template = "core/versioned_object.html"

    def get_extra_context(self, owner) -> dict:
        versions = owner.versions.select_related("created_by")
        return {"current": versions.first(), "versions": versions}


class VersionDownloadView(ObjectPermissionMixin, View):
    """A version's YAML file as it was saved (the latest unless ``?version=N``)."""

    def get(self, request, pk):
        owner = get_object_or_404(self.restricted("view"), pk=pk)
        versions = owner.versions.all()
        number = request.GET.get("version")
        if number:
            if not number.isdigit():
                raise Http404
            versions = versions.filter(number=int(number))
        version = versions.order_by("-number").first()
        if version is None:
            raise Http404
        code = getattr(owner, "code", None) or getattr(owner, "key", owner.pk)
        return attachment(version.text, f"{code}-v{version.number}.yaml")
