# The same formats in both languages (see beacon/formats/en/formats.py).
from beacon.formats.en.formats import *  # noqa: F403
