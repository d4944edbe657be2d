"""The status rule files shipped with Beacon: the batch command's defaults, and the same
rules with their reasons in Chinese for a zone working in Chinese."""

from pathlib import Path

from beacon.analytics.supervision import DEFAULT_RULES_TEXT

DATA = Path(__file__).parent / "data"


def shipped_rules_text(language: str) -> str:
    """The default rule file for a zone working in ``language`` (a Django language code)."""
    translated = DATA / f"default_rules.{language.lower()}.yaml"
    return translated.read_text(encoding="utf-8") if translated.exists() else DEFAULT_RULES_TEXT
