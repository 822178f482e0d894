"""Pure functions behind every figure of the quality report.

Nothing here touches the database: each function takes plain values (numbers, pairs of
labels, rows) and returns plain values, so that every figure can be checked by hand.
"""

import math
from collections import Counter
from collections.abc import Iterable, Sequence
from datetime import datetime


def ratio(part: int, whole: int) -> float | None:
    """part / whole, or None when there is nothing to divide by."""
    return None if not whole else part / whole


def rounded(value: float | None, digits: int = 2) -> float | None:
    return None if value is None else round(value, digits)


def mean(values: Sequence[float]) -> float | None:
    return None if not values else sum(values) / len(values)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 50)


def percentile(values: Sequence[float], p: float) -> float | None:
    """The p-th percentile with linear interpolation between closest ranks.

    The same method as numpy's default and spreadsheet PERCENTILE.INC: the value at rank
    (n - 1) * p / 100 of the sorted values, interpolated. None for no values.
    """
    if not values:
        return None
    ordered = sorted(values)
    position = (len(ordered) - 1) * p / 100
    lower = math.floor(position)
    upper = math.ceil(position)
    if lower == upper:
        return float(ordered[lower])
    weight = position - lower
    return ordered[lower] + (ordered[upper] - ordered[lower]) * weight


def summary(values: Sequence[float], digits: int = 2) -> dict:
    """count, mean, median, 90th percentile and maximum of `values`."""
    return {
        "count": len(values),
        "mean": rounded(mean(values), digits),
        "median": rounded(median(values), digits),
        "p90": rounded(percentile(values, 90), digits),
        "max": rounded(max(values), digits) if values else None,
    }


def days_between(start: datetime | None, end: datetime | None) -> float | None:
    """Elapsed days (fractional) from start to end; None if either is missing."""
    if start is None or end is None:
        return None
    return (end - start).total_seconds() / 86400


def percent_agreement(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Share of pairs in which both raters gave the same label."""
    if not pairs:
        return None
    return sum(1 for a, b in pairs if a == b) / len(pairs)


def cohen_kappa(pairs: Sequence[tuple[str, str]]) -> float | None:
    """Cohen's kappa for two raters over categorical labels.

    kappa = (p_o - p_e) / (1 - p_e), where p_o is the observed agreement and p_e the
    agreement expected by chance from each rater's own label frequencies:
    p_e = sum over labels c of (share of c for rater A) * (share of c for rater B).

    None when it is undefined: no pairs, or both raters used one and the same label for
    every item (p_e = 1, nothing to tell agreement from chance).
    """
    n = len(pairs)
    if not n:
        return None
    first = Counter(a for a, _b in pairs)
    second = Counter(b for _a, b in pairs)
    observed = sum(1 for a, b in pairs if a == b) / n
    expected = sum(first[label] * second[label] for label in first.keys() | second.keys()) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def agreement(pairs: Sequence[tuple[str, str]], digits: int = 3) -> dict:
    """Number of pairs, percent agreement (0-100) and Cohen's kappa."""
    share = percent_agreement(pairs)
    return {
        "pairs": len(pairs),
        "percent_agreement": rounded(None if share is None else share * 100, 1),
        "kappa": rounded(cohen_kappa(pairs), digits),
    }


def count_by(values: Iterable[str], keys: Iterable[str]) -> dict[str, int]:
    """A count for every key (zero included), in the order of `keys`."""
    counts = Counter(values)
    return {key: counts.get(key, 0) for key in keys}


def judgement_distribution(met: int, not_yet: int) -> dict:
    """Met / not yet counts of one criterion, and whether it stands out.

    `never_failed`: judged at least once and never "not yet"; `always_failed`: judged at
    least once and never "met". Both mean the criterion may not discriminate.
    """
    total = met + not_yet
    return {
        "met": met,
        "not_yet": not_yet,
        "total": total,
        "share_met": rounded(None if not total else met / total * 100, 1),
        "never_failed": total > 0 and not_yet == 0,
        "always_failed": total > 0 and met == 0,
    }
