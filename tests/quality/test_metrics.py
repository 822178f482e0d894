import pytest

from quality import metrics


def test_kappa_matches_the_hand_worked_two_by_two_table():
    # 50 items: both yes 20, A yes/B no 5, A no/B yes 10, both no 15.
    # p_o = 35/50 = 0.7; A says yes 25/50, B says yes 30/50;
    # p_e = 0.5*0.6 + 0.5*0.4 = 0.5; kappa = (0.7 - 0.5) / (1 - 0.5) = 0.4.
    pairs = [("yes", "yes")] * 20 + [("yes", "no")] * 5 + [("no", "yes")] * 10 + [("no", "no")] * 15
    assert metrics.percent_agreement(pairs) == pytest.approx(0.7)
    assert metrics.cohen_kappa(pairs) == pytest.approx(0.4)


def test_kappa_is_one_for_perfect_agreement_on_two_labels():
    assert metrics.cohen_kappa([("met", "met"), ("not_yet", "not_yet")]) == pytest.approx(1.0)


def test_kappa_is_undefined_when_both_raters_always_use_the_same_label():
    assert metrics.cohen_kappa([("met", "met"), ("met", "met")]) is None


def test_kappa_is_undefined_without_pairs():
    assert metrics.cohen_kappa([]) is None
    assert metrics.agreement([]) == {"pairs": 0, "percent_agreement": None, "kappa": None}


def test_kappa_is_negative_when_raters_systematically_disagree():
    assert metrics.cohen_kappa([("met", "not_yet"), ("not_yet", "met")]) == pytest.approx(-1.0)


def test_kappa_over_three_labels():
    # A: approve, changes, approve; B: approve, changes, reject.
    # p_o = 2/3; p_e = (2/3)(1/3) + (1/3)(1/3) + 0 = 1/3; kappa = (1/3) / (2/3) = 0.5.
    pairs = [("approve", "approve"), ("changes", "changes"), ("approve", "reject")]
    assert metrics.cohen_kappa(pairs) == pytest.approx(0.5)


def test_median_and_percentile_interpolate_between_ranks():
    values = [1, 2, 2, 5]
    assert metrics.median(values) == 2.0
    assert metrics.percentile(values, 90) == pytest.approx(4.1)
    assert metrics.percentile([7], 90) == 7.0
    assert metrics.percentile([], 50) is None


def test_summary_of_values():
    assert metrics.summary([1, 2, 1, 1]) == {
        "count": 4,
        "mean": 1.25,
        "median": 1.0,
        "p90": 1.7,
        "max": 2,
    }


def test_count_by_lists_every_key_including_zeroes():
    assert metrics.count_by(["a", "b", "a"], ["a", "b", "c"]) == {"a": 2, "b": 1, "c": 0}


def test_judgement_distribution_flags_criteria_nobody_fails_or_everybody_fails():
    assert metrics.judgement_distribution(3, 0)["never_failed"] is True
    assert metrics.judgement_distribution(0, 2)["always_failed"] is True
    middle = metrics.judgement_distribution(3, 1)
    assert (middle["share_met"], middle["never_failed"], middle["always_failed"]) == (
        75.0,
        False,
        False,
    )
    assert metrics.judgement_distribution(0, 0)["never_failed"] is False
