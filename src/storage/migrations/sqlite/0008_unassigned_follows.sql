-- 0008: a follow-up (In-Reply-To/References) of a message kept in the unassigned queue joins it
-- instead of waiting as a second, unrelated message: follows_id names the first kept message of
-- the conversation (NULL for a first message). The console lists followers under it.

ALTER TABLE inbound_unassigned ADD COLUMN follows_id INTEGER REFERENCES inbound_unassigned(id);
CREATE INDEX inbound_unassigned_by_follows ON inbound_unassigned(follows_id) WHERE follows_id IS NOT NULL;
