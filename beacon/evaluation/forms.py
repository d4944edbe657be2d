from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beacon.analytics.conditions import RuleError
from beacon.core.forms import StyledModelForm
from beacon.registry.forms import enterprise_field

from .choices import EvaluationClass
from .models import AnnualFlag, EvaluationResult, Scheme
from .services import check_scheme_text, save_version

MAX_SCHEME_BYTES = 200_000


class SchemeForm(StyledModelForm):
    """A scheme's name and its rules; saving changed rules saves the next version.

    The rules come from the text box or from an uploaded YAML file, which wins.
    """

    text = forms.CharField(
        label=_("scheme file (YAML)"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 24, "class": "font-monospace", "spellcheck": "false"}),
    )
    upload = forms.FileField(label=_("or upload a YAML file"), required=False)
    comment = forms.CharField(label=_("what changed"), max_length=300, required=False)

    class Meta:
        model = Scheme
        fields = ["code", "name", "description"]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        current = self.instance.current if self.instance.pk else None
        if current is not None:
            self.fields["text"].initial = current.text

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        text = cleaned.get("text") or ""
        if upload is not None:
            if upload.size > MAX_SCHEME_BYTES:
                self.add_error("upload", _("A scheme file is at most 200 kB."))
                return cleaned
            try:
                text = upload.read().decode("utf-8")
            except UnicodeDecodeError:
                self.add_error("upload", _("The file is not UTF-8 text."))
                return cleaned
        text = text.replace("\r\n", "\n")
        if not text.strip():
            self.add_error("text", _("Write the scheme or upload its file."))
            return cleaned
        try:
            check_scheme_text(text)
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


class RunForm(forms.Form):
    """Start a run: a scheme, a year, and a note for the record."""

    scheme = forms.ModelChoiceField(Scheme.objects.none(), label=_("scheme"))
    year = forms.IntegerField(label=_("year"), min_value=1949, max_value=2100)
    note = forms.CharField(label=_("note"), max_length=300, required=False)

    def __init__(self, *args, schemes=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scheme"].queryset = schemes if schemes is not None else Scheme.objects.none()
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)


class ClassChangeForm(StyledModelForm):
    """A class moved by hand (调档) needs the reason."""

    final_class = forms.ChoiceField(label=pgettext_lazy("evaluation", "class"))

    class Meta:
        model = EvaluationResult
        fields = ["final_class", "class_change_reason"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        classes = self.instance.run.version.parsed.classes
        names = [n for n, _m in classes.thresholds] or list(EvaluationClass.values)
        self.fields["final_class"].choices = [(n, n) for n in names]
        self.fields["class_change_reason"].required = True

    def clean(self):
        cleaned = super().clean()
        if not self.instance.rated:
            raise forms.ValidationError(
                _("An enterprise that was not rated has no class to change.")
            )
        return cleaned


class AnnualFlagForm(StyledModelForm):
    enterprise = enterprise_field()

    class Meta:
        model = AnnualFlag
        fields = ["enterprise", "year", "flag", "source", "note"]
