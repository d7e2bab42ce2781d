"""Where a calendar's holiday dates come from: listed in the spec, or the `holidays` package."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any


def holiday_dates(country: str, subdiv: str | None, years: Iterable[int]) -> frozenset[date]:
    """Public holiday dates of a country (and subdivision) in the given years."""
    import holidays  # imported on use: it costs ~60 ms of cold start otherwise

    if country not in holidays.list_supported_countries():
        raise ValueError(f"holiday_country: unknown country code {country!r}")
    try:
        public_holidays = holidays.country_holidays(country, subdiv=subdiv, years=list(years))
    except NotImplementedError as exc:
        raise ValueError(f"holiday_subdiv: {exc}") from exc
    return frozenset(public_holidays)


def spec_holidays(spec: Mapping[str, Any]) -> frozenset[date]:
    """Dates listed under `holidays` plus those of `holiday_country` in `holiday_years`."""
    return _listed_holidays(spec.get("holidays", [])) | _country_holidays(spec)


def _listed_holidays(values: Any) -> frozenset[date]:
    if isinstance(values, str) or not isinstance(values, list | tuple | set | frozenset):
        raise ValueError("holidays: expected a list of 'YYYY-MM-DD' dates")
    return frozenset(_iso_date(f"holidays[{index}]", value) for index, value in enumerate(values))


def _iso_date(key: str, value: Any) -> date:
    if isinstance(value, date):  # YAML profiles already parse unquoted dates
        return value
    try:
        return date.fromisoformat(value)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{key}: bad date {value!r}, expected 'YYYY-MM-DD'") from exc


def _country_holidays(spec: Mapping[str, Any]) -> frozenset[date]:
    """Holidays of `holiday_country`; the years are explicit because time is an input."""
    country = spec.get("holiday_country")
    if country is None:
        if "holiday_subdiv" in spec or "holiday_years" in spec:
            raise ValueError("holiday_country: required with holiday_subdiv or holiday_years")
        return frozenset()
    years = spec.get("holiday_years")
    if not isinstance(years, list) or not years or not all(type(y) is int for y in years):
        raise ValueError("holiday_years: required with holiday_country, a list of years")
    return holiday_dates(country, spec.get("holiday_subdiv"), years)
