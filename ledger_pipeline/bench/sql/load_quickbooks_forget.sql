-- Forget the first $count benchmark payments' documents (their lines go first: load_quickbooks_forget_lines.sql).
DELETE FROM journal.entries WHERE reference LIKE 'ch_bench%' AND reference < printf('ch_bench%06d', $count)
