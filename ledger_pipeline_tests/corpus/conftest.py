"""The corpus's session: the base world's templates, built once and copied for every case."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from ledger_pipeline.config import project_config

from .play import Templates

OVERRIDES = ("LEDGER_STRIPE_API_BASE", "LEDGER_WAREHOUSE_DIR", "LEDGER_MAPPINGS_DIR", "LEDGER_QUICKBOOKS_BASE")


@pytest.fixture(scope="session")
def templates(tmp_path_factory) -> Iterator[Templates]:
    with pytest.MonkeyPatch.context() as patch:
        for name in OVERRIDES:
            patch.delenv(name, raising=False)
        templates = Templates(tmp_path_factory.mktemp("corpus_templates"))
        yield templates
        templates.stripe.stop()
    project_config.cache_clear()


@pytest.fixture
def isolated(monkeypatch) -> Iterator[pytest.MonkeyPatch]:
    for name in OVERRIDES:
        monkeypatch.delenv(name, raising=False)
    yield monkeypatch
    project_config.cache_clear()
