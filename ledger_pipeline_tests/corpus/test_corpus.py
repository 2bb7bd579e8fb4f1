"""The bad-input corpus (cases/*.yaml): every case fed to real Dagster runs against the Stripe sandbox on
loopback (and, for some, the QuickBooks sandbox), its expected outcome held against what happened."""

from __future__ import annotations

from collections import Counter

import pytest

from .cases import load_cases
from .expect import compare
from .play import play

CASES = load_cases()


def test_the_corpus_is_big_enough_and_covers_its_groups():
    groups = Counter(case.group for case in CASES)
    assert len(CASES) >= 40, groups
    assert len(groups) >= 8, groups


@pytest.mark.parametrize("case", CASES, ids=str)
def test_case(case, templates, tmp_path, isolated):
    outcome, place = play(case, templates, tmp_path / "case", isolated)
    problems = compare(case.expect, outcome, place, case.feed.get("tenant", "demo"))
    assert not problems, (f"{case} ({case.file}): {case.description}\n- " + "\n- ".join(problems)
                          + "\n--- what the run said:\n" + outcome.said()[:4000])
