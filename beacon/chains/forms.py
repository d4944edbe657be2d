from django import forms
from django.utils.translation import gettext_lazy as _

from beacon.analytics.conditions import RuleError
from beacon.core.forms import CodeChoiceField, StyledModelForm
from beacon.core.versions import RuleFileFormMixin
from beacon.registry.models import Enterprise

from .models import Chain


class ChainForm(RuleFileFormMixin, StyledModelForm):
    """A chain's names and its links file; saving a changed file saves the next version."""

    class Meta:
        model = Chain
        fields = ["key", "name", "name_en", "description"]

    def check_text(self, text):
        from .services import check_chain_text

        parsed = check_chain_text(text)
        key = self.cleaned_data.get("key")
        if key and parsed.key != key:
            raise RuleError(
                _("The file's key is %(file)s, the chain's %(chain)s.")
                % {"file": parsed.key, "chain": key}
            )


class LinkMappingForm(forms.Form):
    enterprise = CodeChoiceField(Enterprise.objects.all(), "uscc", label=_("enterprise (USCC)"))
    include = forms.ChoiceField(
        label=_("belongs to the link"),
        choices=[("yes", _("Yes")), ("no", _("No"))],
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    reason = forms.CharField(label=_("reason"), max_length=300, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("enterprise", "reason"):
            self.fields[name].widget.attrs.setdefault("class", "form-control")


class TargetListForm(forms.Form):
    chain = forms.ModelChoiceField(Chain.objects.none(), label=_("chain"))
    candidates = forms.ChoiceField(label=_("candidate file"))
    top = forms.IntegerField(
        label=_("targets per gap link"), min_value=1, max_value=1000, initial=50
    )
    exclude_provinces = forms.CharField(
        label=_("leave out provinces (separated by ',')"), required=False
    )
    home_province = forms.CharField(label=_("the zone's province"), required=False)
    home_city = forms.CharField(label=_("the zone's city"), required=False)

    def __init__(self, *args, files=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = {p.name: p for p in files}
        self.fields["candidates"].choices = [(name, name) for name in self.paths]
        self.fields["candidates"].help_text = _(
            "Files are put in the data folder's candidates/ by an administrator (CSV or Parquet)."
        )
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_candidates(self):
        return self.paths[self.cleaned_data["candidates"]]

    def clean_exclude_provinces(self):
        text = self.cleaned_data["exclude_provinces"].replace("，", ",")
        return [p.strip() for p in text.split(",") if p.strip()]
