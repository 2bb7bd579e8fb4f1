-- Current state of charges: created that day, or changed since (refunded, disputed, captured).
DELETE FROM staging.charges WHERE id IN (SELECT object_id FROM affected_objects WHERE object_type = 'charge');
INSERT INTO staging.charges
SELECT object_id, j.amount, j.amount_captured, j.amount_refunded, j.currency, j.status, j.paid, j.captured,
       j.refunded, j.disputed, j.customer, j.payment_intent, j.payment_method_details.type, j.balance_transaction,
       j.failure_balance_transaction, j.application, j.application_fee, j.application_fee_amount, j.transfer,
       j.transfer_data.destination, j.transfer_group, j.source_transfer, j.on_behalf_of, j.description,
       coalesce(j.statement_descriptor, j.calculated_statement_descriptor), j.failure_code, j.failure_message,
       j.receipt_email, j.metadata, to_timestamp(j.created), partition_date, observed_at, extracted_at
FROM (
    SELECT c.*, from_json(c.data, '{"amount": "BIGINT", "amount_captured": "BIGINT", "amount_refunded": "BIGINT",
        "currency": "VARCHAR", "status": "VARCHAR", "paid": "BOOLEAN", "captured": "BOOLEAN",
        "refunded": "BOOLEAN", "disputed": "BOOLEAN", "customer": "VARCHAR", "payment_intent": "VARCHAR",
        "payment_method_details": {"type": "VARCHAR"}, "balance_transaction": "VARCHAR",
        "failure_balance_transaction": "VARCHAR", "application": "VARCHAR", "application_fee": "VARCHAR",
        "application_fee_amount": "BIGINT", "transfer": "VARCHAR", "transfer_data": {"destination": "VARCHAR"},
        "transfer_group": "VARCHAR", "source_transfer": "VARCHAR", "on_behalf_of": "VARCHAR",
        "description": "VARCHAR", "statement_descriptor": "VARCHAR", "calculated_statement_descriptor": "VARCHAR",
        "failure_code": "VARCHAR", "failure_message": "VARCHAR", "receipt_email": "VARCHAR", "metadata": "JSON",
        "created": "BIGINT"}') AS j
    FROM raw.current_state('charge', observations := 'affected_observations') c
);
