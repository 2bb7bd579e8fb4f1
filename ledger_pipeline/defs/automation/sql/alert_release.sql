DELETE FROM sent_alerts WHERE alert_key = ? AND channel = ? AND run_id = ?;
