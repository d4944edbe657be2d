from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from beacon.core.forms import StyledModelForm, enterprise_field
from beacon.core.versions import RuleFileFormMixin

from .choices import EvaluationClass
from .models import AnnualFlag, EvaluationResult, Scheme
from .services import check_scheme_text


class SchemeForm(RuleFileFormMixin, StyledModelForm):
    """A scheme's name and its rules; saving changed rules saves the next version."""

    class Meta:
        model = Scheme
        fields = ["code", "name", "description"]

    def check_text(self, text):
        check_scheme_text(text)


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
