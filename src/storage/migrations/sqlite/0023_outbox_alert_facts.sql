-- 0023: staff alerts are kept as facts too (issue 16, item 6: notification mail is rendered at
-- delivery, outside the single writer). A new Crítico ticket alerts every agent on shift from the
-- creating transaction; those mails are now a row of facts each, rendered by the outbox job.
-- f_alert is app::MailFacts::alert ("new_critical", "sla_warning", "sla_breach"); NULL on any
-- other row. Staff alert rows written before 0023 hold their text and are delivered as before.
ALTER TABLE outbox ADD COLUMN f_alert TEXT;
