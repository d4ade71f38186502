-- 0021: files in live chats (issue 13: "attachments through the existing upload path"). A file
-- is uploaded into the blob store first (by content, as a ticket's attachments are) and recorded
-- here with seq 0; the message that sends it sets seq to its own, in the same transaction, so a
-- file is sent once and a message's files are read by (chat_id, seq). A ticket made from the
-- chat copies the sent files into its attachments. Plain SQL types, no SQLite-only syntax.
CREATE TABLE chat_files (
  id           INTEGER PRIMARY KEY,
  chat_id      INTEGER NOT NULL REFERENCES chats(id),
  seq          INTEGER NOT NULL DEFAULT 0,        -- the message that sent it; 0 = not sent yet
  sha256       TEXT    NOT NULL,
  filename     TEXT    NOT NULL,
  content_type TEXT    NOT NULL,
  size         INTEGER NOT NULL,
  author       TEXT    NOT NULL,                  -- visitor | agent
  author_id    INTEGER REFERENCES users(id),      -- the agent or portal customer
  created_at   INTEGER NOT NULL
) STRICT;
CREATE INDEX chat_files_by_message ON chat_files(chat_id, seq, id);
