"""Tenants: the configured ones, plus every connected account of a platform set to `discover`.

The sensor adds new tenant keys to the `tenants` dynamic partitions, so a newly connected account gets its
own partitions (and warehouse file) without a code or config change.
"""


import dagster as dg

from ledger_pipeline.config import ProjectConfig, connected_tenant_key, project_config
from ledger_pipeline.defs.stripe.client import StripeResource
from ledger_pipeline.defs.stripe.crawl import crawl, listing
from ledger_pipeline.lib.partitions import TENANTS, tenant_partitions


def discover_tenant_keys(config: ProjectConfig, stripe: StripeResource) -> list[str]:
    """Configured tenant keys, then `<platform>.<acct_id>` for each account a discovering platform lists."""
    keys = config.configured_tenant_keys()
    for settings in config.tenants:
        if settings.connected_accounts != "discover":
            continue
        api = stripe.api(settings.stripe_account)
        for _, answer in crawl(api, [listing("/v1/accounts", "account", "list")], workers=1, splits=1):
            keys += [connected_tenant_key(settings.key, account["id"]) for account in answer.data["data"]]
    return list(dict.fromkeys(keys))


@dg.sensor(
    name="stripe_tenant_discovery",
    minimum_interval_seconds=300,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Adds configured tenants and newly connected Stripe accounts to the `tenants` partitions.",
)
def stripe_tenant_discovery(context: dg.SensorEvaluationContext, stripe: StripeResource):
    keys = discover_tenant_keys(project_config(), stripe)
    known = set(context.instance.get_dynamic_partitions(TENANTS))
    new = [key for key in keys if key not in known]
    if not new:
        return dg.SkipReason(f"all {len(keys)} tenants are known")
    context.log.info(f"new tenants: {', '.join(new)}")
    return dg.SensorResult(dynamic_partitions_requests=[tenant_partitions.build_add_request(new)])
