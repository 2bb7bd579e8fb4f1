-- Current state of disputes, and the balance transactions each carries (withdrawal, reinstatement).
DELETE FROM staging.disputes WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'dispute');
DELETE FROM staging.dispute_balance_transactions
WHERE dispute_id IN (SELECT object_id FROM affected_objects WHERE object_type = 'dispute');

CREATE OR REPLACE TEMP TABLE current_disputes AS
SELECT c.*, from_json(c.data, '{"amount": "BIGINT", "currency": "VARCHAR", "charge": "VARCHAR",
    "payment_intent": "VARCHAR", "status": "VARCHAR", "reason": "VARCHAR", "is_charge_refundable": "BOOLEAN",
    "evidence_details": {"due_by": "BIGINT"}, "metadata": "JSON", "created": "BIGINT",
    "balance_transactions": [{"id": "VARCHAR", "type": "VARCHAR", "reporting_category": "VARCHAR",
        "amount": "BIGINT", "fee": "BIGINT", "net": "BIGINT", "currency": "VARCHAR", "created": "BIGINT"}]}') AS j
FROM raw.current_state('dispute', observations := 'affected_observations') c;

INSERT INTO staging.disputes
SELECT object_id, j.amount, j.currency, j.charge, j.payment_intent, j.status, j.reason, j.is_charge_refundable,
       to_timestamp(j.evidence_details.due_by), j.metadata, to_timestamp(j.created), partition_date, observed_at,
       extracted_at
FROM current_disputes;

INSERT INTO staging.dispute_balance_transactions
SELECT DISTINCT ON (object_id, bt.id) object_id, bt.id, bt.type, bt.reporting_category, bt.amount, bt.fee, bt.net,
       bt.currency, to_timestamp(bt.created), partition_date, extracted_at
FROM (SELECT object_id, partition_date, extracted_at, unnest(j.balance_transactions) AS bt FROM current_disputes);
