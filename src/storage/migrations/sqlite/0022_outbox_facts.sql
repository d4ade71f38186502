-- 0022: mail about a ticket change is kept as the facts it will say, not as rendered text (issue
-- 16, item 6). The change's transaction writes these few columns and the Message-ID; the outbox
-- job renders the text at delivery, outside the single writer. `facts` is NULL on a row that
-- holds its text in subject/body_text (every row written before 0022, and mail rendered when
-- queued: password resets, pages, staff alerts), 1 on a row kept as facts (subject and body_text
-- are then ''). The f_* columns are app::MailFacts; f_missing is the intake checklist's item names
-- joined by ','. Existing rows keep their text and are delivered as before.
ALTER TABLE outbox ADD COLUMN facts INTEGER;
ALTER TABLE outbox ADD COLUMN f_number INTEGER;
ALTER TABLE outbox ADD COLUMN f_subject TEXT;
ALTER TABLE outbox ADD COLUMN f_criticality TEXT;
ALTER TABLE outbox ADD COLUMN f_channel TEXT;
ALTER TABLE outbox ADD COLUMN f_contract_id INTEGER;
ALTER TABLE outbox ADD COLUMN f_received_at INTEGER;
ALTER TABLE outbox ADD COLUMN f_due INTEGER;
ALTER TABLE outbox ADD COLUMN f_zone TEXT;
ALTER TABLE outbox ADD COLUMN f_recipient_name TEXT;
ALTER TABLE outbox ADD COLUMN f_author_name TEXT;
ALTER TABLE outbox ADD COLUMN f_article_id INTEGER;
ALTER TABLE outbox ADD COLUMN f_missing TEXT;
