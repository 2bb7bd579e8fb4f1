-- Forget the lines of the first $count benchmark payments' documents, so the next insert writes them anew.
DELETE FROM journal.lines
WHERE entry_key IN (SELECT entry_key FROM journal.entries
                    WHERE reference LIKE 'ch_bench%' AND reference < printf('ch_bench%06d', $count))
