-- 0016: the full-text search index (issue 18, parts 1 and 2). Three FTS5 tables over the texts
-- a ticket is found by, each with external content (the text stays in its own table; the index
-- holds only terms and positions): tickets' subject and description, articles' bodies (public
-- replies, internal notes, logged phone calls) and attachments' file names. The tokenizer
-- "soporte" (storage/sqlite/search_tokenizer.cpp, registered on every connection) folds case and
-- accents and stems in Spanish. Triggers keep the index in the same transaction as the change;
-- `soporte reindex` rebuilds it.
--
-- A new row is not indexed by its own job: its trigger queues it in search_queue, and the writer
-- indexes every queued row once its batch's jobs have run, before the batch's COMMIT
-- (storage/sqlite/sqlite_store.cpp RunBatch → FlushSearchQueue). FTS5 writes a new index
-- segment at every SAVEPOINT of a transaction that has touched it, and the writer runs each job
-- of a group commit in its own SAVEPOINT: indexing inside the jobs wrote one segment per ticket
-- and cost 40-80 % of the creation rate; indexed together it is one segment per batch. Edits and
-- deletes of rows already indexed (rare) update the index at once; a queued row needs nothing
-- (its current text is read when the queue is flushed). Customers never match an internal note: the search joins
-- articles and filters on `internal` (storage/sqlite/search_repository.cpp).
CREATE VIRTUAL TABLE ticket_fts USING fts5(
  subject, description, content='tickets', content_rowid='id', tokenize='soporte',
  detail=full);
CREATE VIRTUAL TABLE article_fts USING fts5(
  body, content='articles', content_rowid='id', tokenize='soporte', detail=full);
CREATE VIRTUAL TABLE attachment_fts USING fts5(
  filename, content='attachments', content_rowid='id', tokenize='soporte', detail=full);

CREATE TABLE search_queue (
  kind INTEGER NOT NULL,  -- 1 ticket, 2 article, 3 attachment
  id INTEGER NOT NULL,
  PRIMARY KEY (kind, id)
) WITHOUT ROWID;

CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO search_queue(kind, id) VALUES (1, new.id);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject, description ON tickets
WHEN (old.subject IS NOT new.subject OR old.description IS NOT new.description)
  AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 1 AND id = old.id) BEGIN
  INSERT INTO ticket_fts(ticket_fts, rowid, subject, description)
    VALUES ('delete', old.id, old.subject, old.description);
  INSERT INTO ticket_fts(rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
  INSERT INTO ticket_fts(ticket_fts, rowid, subject, description)
    SELECT 'delete', old.id, old.subject, old.description
    WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 1 AND id = old.id);
  DELETE FROM search_queue WHERE kind = 1 AND id = old.id;
END;

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO search_queue(kind, id) VALUES (2, new.id);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF body ON articles
WHEN old.body IS NOT new.body
  AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 2 AND id = old.id) BEGIN
  INSERT INTO article_fts(article_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO article_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_fts(article_fts, rowid, body)
    SELECT 'delete', old.id, old.body
    WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 2 AND id = old.id);
  DELETE FROM search_queue WHERE kind = 2 AND id = old.id;
END;

CREATE TRIGGER attachments_fts_insert AFTER INSERT ON attachments BEGIN
  INSERT INTO search_queue(kind, id) VALUES (3, new.id);
END;
CREATE TRIGGER attachments_fts_update AFTER UPDATE OF filename ON attachments
WHEN old.filename IS NOT new.filename
  AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 3 AND id = old.id) BEGIN
  INSERT INTO attachment_fts(attachment_fts, rowid, filename) VALUES ('delete', old.id, old.filename);
  INSERT INTO attachment_fts(rowid, filename) VALUES (new.id, new.filename);
END;
CREATE TRIGGER attachments_fts_delete AFTER DELETE ON attachments BEGIN
  INSERT INTO attachment_fts(attachment_fts, rowid, filename)
    SELECT 'delete', old.id, old.filename
    WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 3 AND id = old.id);
  DELETE FROM search_queue WHERE kind = 3 AND id = old.id;
END;

-- The tickets, articles and attachments stored before this migration.
INSERT INTO ticket_fts(ticket_fts) VALUES ('rebuild');
INSERT INTO article_fts(article_fts) VALUES ('rebuild');
INSERT INTO attachment_fts(attachment_fts) VALUES ('rebuild');
