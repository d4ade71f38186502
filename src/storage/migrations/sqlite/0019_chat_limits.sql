-- 0019: limits of the live chat (issue 13 step 4). `opened_from` is the client address a chat was
-- opened from, so the cap on waiting chats holds per address (one address cannot fill the desk's
-- cap and lock every other visitor out: chats_waiting_from counts them). `abandon_due` is when a
-- waiting chat whose visitor has no open socket is closed as abandoned (set at open and each time
-- the visitor's last socket leaves, cleared while one is open); the chat-abandon job follows
-- chats_abandon_due and claims each due chat with a lease (abandon_claimed_by,
-- abandon_lease_until) so that several nodes close it once. Plain SQL: PostgreSQL keeps the shape.

ALTER TABLE chats ADD COLUMN opened_from TEXT NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN abandon_due INTEGER;
ALTER TABLE chats ADD COLUMN abandon_claimed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE chats ADD COLUMN abandon_lease_until INTEGER;
CREATE INDEX chats_waiting_from ON chats(opened_from) WHERE state = 'waiting';
CREATE INDEX chats_abandon_due ON chats(abandon_due, id)
  WHERE abandon_due IS NOT NULL AND state = 'waiting';
