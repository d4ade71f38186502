-- 0011: delivered mail is purged after a retention (serve --outbox-retention-days, default 30;
-- issue 16, part 6): the purge reads delivered rows by age through this index, so its cost follows
-- what is old enough, not the size of the outbox. Pending and failed rows are never purged.
CREATE INDEX outbox_sent ON outbox(sent_at) WHERE sent_at IS NOT NULL;
