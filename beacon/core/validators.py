"""Identifiers and years every station files: the Unified Social Credit Code, which
enterprises and leads carry (its validator and its field), and a year of figures, facts or
targets."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.cn import uscc as stdnum_uscc
from stdnum.exceptions import InvalidChecksum, InvalidLength
from stdnum.exceptions import ValidationError as StdnumError

MIN_YEAR = 1949


def validate_uscc(value: str) -> None:
    """A Unified Social Credit Code: 18 characters with a valid check digit."""
    try:
        stdnum_uscc.validate(value)
    except InvalidLength:
        raise ValidationError(
            _("A Unified Social Credit Code has 18 characters."), code="uscc_length"
        ) from None
    except InvalidChecksum:
        raise ValidationError(
            _("The check digit of this Unified Social Credit Code is wrong."), code="uscc_checksum"
        ) from None
    except StdnumError:
        raise ValidationError(
            _("This is not a Unified Social Credit Code."), code="uscc_format"
        ) from None


def validate_year(value: int) -> None:
    latest = date.today().year + 1
    if value is not None and not MIN_YEAR <= value <= latest:
        raise ValidationError(
            _("The year must be between %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": latest},
            code="year_range",
        )


def normalise_uscc(value):
    """A USCC as the registry keeps it: upper case, without the spaces a user typed."""
    return value.strip().replace(" ", "").upper() if isinstance(value, str) else value


class USCCField(models.CharField):
    """A Unified Social Credit Code, kept and compared in upper case wherever it enters:
    forms, the API, imports, lookups (``uscc=…``, ``uscc__in=…``) and bulk writes alike, so
    ``91441200ma7emwk15h`` is the company ``91441200MA7EMWK15H``."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 18)
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        return normalise_uscc(super().to_python(value))

    def get_prep_value(self, value):
        return normalise_uscc(super().get_prep_value(value))

    def pre_save(self, model_instance, add):
        # the object in memory holds what was written, as after a refresh
        value = normalise_uscc(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class HeldByDatabase(models.UniqueConstraint):
    """A unique constraint the database alone holds, for writes from anywhere; a form or an
    import says the clash through the model's own unique field, so it is not said twice."""

    def validate(self, *args, **kwargs):
        return
