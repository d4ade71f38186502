-- 0016: the full-text search index (issue 18, parts 1 and 2). Three FTS5 tables over the texts
-- a ticket is found by, each with external content (the text stays in its own table; the index
-- holds only terms and positions): tickets' subject and description, articles' bodies (public
-- replies, internal notes, logged phone calls) and attachments' file names. The tokenizer
-- "soporte" (storage/sqlite/search_tokenizer.cpp, registered on every connection) folds case and
-- accents and stems in Spanish. Triggers keep the index in the same transaction as the change;
-- `soporte reindex` rebuilds it. Customers never match an internal note: the search joins
-- articles and filters on `internal` (storage/sqlite/search_repository.cpp).
CREATE VIRTUAL TABLE ticket_fts USING fts5(
  subject, description, content='tickets', content_rowid='id', tokenize='soporte',
  detail=full);
CREATE VIRTUAL TABLE article_fts USING fts5(
  body, content='articles', content_rowid='id', tokenize='soporte', detail=full);
CREATE VIRTUAL TABLE attachment_fts USING fts5(
  filename, content='attachments', content_rowid='id', tokenize='soporte', detail=full);

CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO ticket_fts(rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject, description ON tickets
WHEN old.subject IS NOT new.subject OR old.description IS NOT new.description BEGIN
  INSERT INTO ticket_fts(ticket_fts, rowid, subject, description)
    VALUES ('delete', old.id, old.subject, old.description);
  INSERT INTO ticket_fts(rowid, subject, description) VALUES (new.id, new.subject, new.description);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
  INSERT INTO ticket_fts(ticket_fts, rowid, subject, description)
    VALUES ('delete', old.id, old.subject, old.description);
END;

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO article_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF body ON articles
WHEN old.body IS NOT new.body BEGIN
  INSERT INTO article_fts(article_fts, rowid, body) VALUES ('delete', old.id, old.body);
  INSERT INTO article_fts(rowid, body) VALUES (new.id, new.body);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_fts(article_fts, rowid, body) VALUES ('delete', old.id, old.body);
END;

CREATE TRIGGER attachments_fts_insert AFTER INSERT ON attachments BEGIN
  INSERT INTO attachment_fts(rowid, filename) VALUES (new.id, new.filename);
END;
CREATE TRIGGER attachments_fts_update AFTER UPDATE OF filename ON attachments
WHEN old.filename IS NOT new.filename BEGIN
  INSERT INTO attachment_fts(attachment_fts, rowid, filename) VALUES ('delete', old.id, old.filename);
  INSERT INTO attachment_fts(rowid, filename) VALUES (new.id, new.filename);
END;
CREATE TRIGGER attachments_fts_delete AFTER DELETE ON attachments BEGIN
  INSERT INTO attachment_fts(attachment_fts, rowid, filename) VALUES ('delete', old.id, old.filename);
END;

-- The tickets, articles and attachments stored before this migration.
INSERT INTO ticket_fts(ticket_fts) VALUES ('rebuild');
INSERT INTO article_fts(article_fts) VALUES ('rebuild');
INSERT INTO attachment_fts(attachment_fts) VALUES ('rebuild');
