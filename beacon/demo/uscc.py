"""Unified Social Credit Codes as the market regulator issues them to companies: a region,
a GB 11714 organisation code with its check character, and the GB 32100 check character.
"""

from __future__ import annotations

import random

from stdnum.cn import uscc as stdnum_uscc

# GB 11714 organisation code check digit, on the USCC alphabet's values.
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
# Codes issued since the 2015 reform start "MA" and a block that moved on year by year.
MA_BLOCKS = {2015: ("4U",), 2016: ("4U", "4W"), 2017: ("4W", "51"), 2018: ("51", "52"),
             2019: ("53",), 2020: ("54", "55"), 2021: ("56", "57"), 2022: ("7A", "7B"),
             2023: ("7C", "7D"), 2024: ("7E", "7F"), 2025: ("7G",)}  # fmt: skip
OLD_ORG_PREFIXES = ("19", "61", "66", "70", "72", "73", "75", "77", "79")


def organisation_code(body: str) -> str:
    """Add the GB 11714 check character to an 8-character organisation code body."""
    total = sum(int(c, 36) * w for c, w in zip(body, ORG_WEIGHTS, strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def make_uscc(region: str, body: str) -> str:
    """A company's USCC: 9 (market regulator), 1 (enterprise), region, organisation code, check."""
    number = "91" + region + organisation_code(body)
    return number + stdnum_uscc.calc_check_digit(number)


def draw_uscc(rnd: random.Random, region: str, founded: int) -> str:
    """A code of the kind issued in the year a company was founded in a region."""
    if founded >= 2015:
        block = rnd.choice(MA_BLOCKS[founded])
        body = "MA" + block + "".join(rnd.choices(USCC_ALPHABET, k=4))
    else:
        body = rnd.choice(OLD_ORG_PREFIXES) + "".join(rnd.choices("0123456789", k=6))
    return make_uscc(region, body)
