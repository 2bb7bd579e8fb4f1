import datetime as dt

import pytest

from ledger_pipeline.config import ConfigError, load_config


def write(tmp_path, text):
    path = tmp_path / "ledger_pipeline.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_without_a_file(tmp_path, monkeypatch):
    monkeypatch.delenv("LEDGER_STRIPE_API_BASE", raising=False)
    monkeypatch.delenv("LEDGER_WAREHOUSE_DIR", raising=False)
    config = load_config(tmp_path / "missing.yaml")
    assert config.stripe.api_base == "https://api.stripe.com"
    assert config.tenants == []


def test_environment_overrides_the_file(tmp_path, monkeypatch):
    path = write(tmp_path, "stripe:\n  api_base: http://127.0.0.1:1/\nwarehouse:\n  directory: a\n")
    monkeypatch.setenv("LEDGER_STRIPE_API_BASE", "http://127.0.0.1:9999")
    monkeypatch.setenv("LEDGER_WAREHOUSE_DIR", str(tmp_path / "w"))
    config = load_config(path)
    assert config.stripe.api_base == "http://127.0.0.1:9999"
    assert config.warehouse.directory == str(tmp_path / "w")


def test_connected_account_tenants_resolve_through_their_platform(tmp_path):
    path = write(tmp_path, """
tenants:
  - key: shop
    timezone: America/New_York
    connected_accounts: discover
  - key: solo
    stripe_account: acct_solo
""")
    config = load_config(path)
    connected = config.tenant("shop.acct_123")
    assert (connected.stripe_account, connected.platform_key, connected.timezone) == ("acct_123", "shop", "America/New_York")
    assert config.tenant("solo").stripe_account == "acct_solo"
    with pytest.raises(ConfigError, match="solo.acct_9"):
        config.tenant("solo.acct_9")  # solo does not share its connected accounts
    with pytest.raises(ConfigError, match="tenants:"):
        config.tenant("nobody")


def test_day_window_uses_the_tenants_timezone(tmp_path):
    config = load_config(write(tmp_path, "tenants:\n  - key: ny\n    timezone: America/New_York\n"))
    start, end = config.tenant("ny").day_window(dt.date(2026, 11, 1))  # DST ends that day: 25 hours
    assert end - start == 25 * 3600
    assert dt.datetime.fromtimestamp(start, dt.timezone.utc).hour == 4


@pytest.mark.parametrize(("text", "fragment"), [
    ("tenants:\n  - key: Bad Key\n", "tenants.0.key"),
    ("tenants:\n  - key: a\n    timezone: Mars/Base\n", "unknown timezone"),
    ("tenants:\n  - key: a\n  - key: a\n", "repeated: a"),
    ("stripe:\n  requests_per_second: 0\n", "stripe.requests_per_second"),
    ("stripe: [\n", "not valid YAML"),
    ("surprise: 1\n", "surprise"),
])
def test_errors_name_the_file_and_the_setting(tmp_path, text, fragment):
    with pytest.raises(ConfigError) as error:
        load_config(write(tmp_path, text))
    assert "ledger_pipeline.yaml" in str(error.value) and fragment in str(error.value)
