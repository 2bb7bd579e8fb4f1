SELECT * FROM audit_check_results ORDER BY day, check_name;
