"""The posting machinery both loaders share (one mechanism, two targets).

- `Outbox` (sync.outbox / sync.external_ids) and `Poster` (the protocol: intent -> send -> record,
  recovery of pending intents, skip/update/void decisions in `decide`).
- `TokenStore` / `TokenManager`: durable OAuth tokens, refreshed before expiry and after a 401, rotation
  saved at once.
- `RateLimiter` / `shared_limiter`: one limiter per target company per process; `call_with_retries`:
  retries that are safe, honouring Retry-After.
- `TargetError` / `ErrorKind`: one vocabulary for what went wrong, with the fix.
- `matching.MatchingTarget`: master data (customers, contacts, items) matched before it is created.
Target clients live in `ledger_pipeline.targets.quickbooks` and `ledger_pipeline.targets.xero`.
"""

from ledger_pipeline.posting.decide import Action, Plan, decide
from ledger_pipeline.posting.errors import ErrorKind, TargetError
from ledger_pipeline.posting.keys import idempotency_key, marker_for
from ledger_pipeline.posting.limiter import LimitSettings, RateLimiter, shared_limiter
from ledger_pipeline.posting.outbox import Outbox
from ledger_pipeline.posting.poster import Outcome, PostReport, Poster
from ledger_pipeline.posting.preflight import Finding
from ledger_pipeline.posting.records import ExternalId, Intent, PostRecord, Remote
from ledger_pipeline.posting.retry import RetryPolicy, call_with_retries
from ledger_pipeline.posting.target import PostingTarget
from ledger_pipeline.posting.token_manager import TokenManager
from ledger_pipeline.posting.token_store import TokenSet, TokenStore, default_token_store_path
from ledger_pipeline.posting.trial_balance import TrialBalance, TrialBalanceLine

__all__ = ["Action", "Plan", "decide", "ErrorKind", "TargetError", "idempotency_key", "marker_for",
           "LimitSettings", "RateLimiter", "shared_limiter", "Outbox", "Outcome", "PostReport", "Poster", "Finding",
           "ExternalId", "Intent", "PostRecord", "Remote", "RetryPolicy", "call_with_retries", "PostingTarget",
           "TokenManager", "TokenSet", "TokenStore", "default_token_store_path", "TrialBalance", "TrialBalanceLine"]
