"""Validators of identifiers and years every station files: the Unified Social Credit Code,
which enterprises and leads carry, and a year of figures, facts or targets."""

from datetime import date

from django.core.exceptions import ValidationError
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
