-- 0028: the search index knows each text's organisation (issue 18, part 5). A search limited to
-- one organisation (every customer's, and staff filtering by customer) walked the newest
-- matches of the whole desk and joined each to its ticket to keep its organisation's: for a
-- frequent word and an organisation with 3 % of 1 M tickets, 60,000 matches per table and
-- about 400 ms. Each FTS5 row now carries its ticket's organisation id in a column of its own,
-- `org_id`, and such a search intersects the word's matches with the organisation's inside the
-- index (storage/sqlite/search_repository.cpp). The user's words are matched only in the text
-- columns, never in `org_id`.
--
-- Messages and attachments have no organisation of their own: their index reads its content
-- through a view that joins their ticket (FTS5's external content may be a view). A ticket's
-- organisation does not change today; if it ever does, its texts move with it (trigger
-- tickets_fts_org). A message's or an attachment's edit or delete finds the organisation it was
-- indexed with through its ticket: tickets are never deleted (no cascade removes a ticket before
-- its texts). Rebuilding the index here takes a while on a big desk (about 50 s for 1 M
-- tickets and 3 M messages); nothing else changes.
DROP TRIGGER tickets_fts_insert;
DROP TRIGGER tickets_fts_update;
DROP TRIGGER tickets_fts_delete;
DROP TRIGGER articles_fts_insert;
DROP TRIGGER articles_fts_update;
DROP TRIGGER articles_fts_delete;
DROP TRIGGER attachments_fts_insert;
DROP TRIGGER attachments_fts_update;
DROP TRIGGER attachments_fts_delete;
DROP TABLE ticket_fts;
DROP TABLE article_fts;
DROP TABLE attachment_fts;
-- Queued rows are read again, with their organisation, when the index is rebuilt below.
DELETE FROM search_queue;

CREATE VIEW article_fts_content(id, body, org_id) AS
  SELECT a.id, a.body, t.org_id FROM articles a JOIN tickets t ON t.id = a.ticket_id;
CREATE VIEW attachment_fts_content(id, filename, org_id) AS
  SELECT f.id, f.filename, t.org_id FROM attachments f JOIN tickets t ON t.id = f.ticket_id;

CREATE VIRTUAL TABLE ticket_fts USING fts5(
  subject, description, org_id, content='tickets', content_rowid='id', tokenize='soporte',
  detail=full);
CREATE VIRTUAL TABLE article_fts USING fts5(
  body, org_id, content='article_fts_content', content_rowid='id', tokenize='soporte',
  detail=full);
CREATE VIRTUAL TABLE attachment_fts USING fts5(
  filename, org_id, content='attachment_fts_content', content_rowid='id', tokenize='soporte',
  detail=full);
-- As 0025: merged while the writer is idle.
INSERT INTO ticket_fts(ticket_fts, rank) VALUES ('automerge', 0);
INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 0);
INSERT INTO attachment_fts(attachment_fts, rank) VALUES ('automerge', 0);

-- As 0016: a new row is queued and indexed before its batch's COMMIT (FlushSearchQueue); an
-- edit or delete of a row already indexed updates the index at once, with the values it was
-- indexed with.
CREATE TRIGGER tickets_fts_insert AFTER INSERT ON tickets BEGIN
  INSERT INTO search_queue(kind, id) VALUES (1, new.id);
END;
CREATE TRIGGER tickets_fts_update AFTER UPDATE OF subject, description, org_id ON tickets
WHEN (old.subject IS NOT new.subject OR old.description IS NOT new.description
      OR old.org_id IS NOT new.org_id)
  AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 1 AND id = old.id) BEGIN
  INSERT INTO ticket_fts(ticket_fts, rowid, subject, description, org_id)
    VALUES ('delete', old.id, old.subject, old.description, old.org_id);
  INSERT INTO ticket_fts(rowid, subject, description, org_id)
    VALUES (new.id, new.subject, new.description, new.org_id);
END;
CREATE TRIGGER tickets_fts_org AFTER UPDATE OF org_id ON tickets
WHEN old.org_id IS NOT new.org_id BEGIN
  INSERT INTO article_fts(article_fts, rowid, body, org_id)
    SELECT 'delete', a.id, a.body, old.org_id FROM articles a WHERE a.ticket_id = old.id
      AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.kind = 2 AND q.id = a.id);
  INSERT INTO article_fts(rowid, body, org_id)
    SELECT a.id, a.body, new.org_id FROM articles a WHERE a.ticket_id = old.id
      AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.kind = 2 AND q.id = a.id);
  INSERT INTO attachment_fts(attachment_fts, rowid, filename, org_id)
    SELECT 'delete', f.id, f.filename, old.org_id FROM attachments f WHERE f.ticket_id = old.id
      AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.kind = 3 AND q.id = f.id);
  INSERT INTO attachment_fts(rowid, filename, org_id)
    SELECT f.id, f.filename, new.org_id FROM attachments f WHERE f.ticket_id = old.id
      AND NOT EXISTS (SELECT 1 FROM search_queue q WHERE q.kind = 3 AND q.id = f.id);
END;
CREATE TRIGGER tickets_fts_delete AFTER DELETE ON tickets BEGIN
  INSERT INTO ticket_fts(ticket_fts, rowid, subject, description, org_id)
    SELECT 'delete', old.id, old.subject, old.description, old.org_id
    WHERE NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 1 AND id = old.id);
  DELETE FROM search_queue WHERE kind = 1 AND id = old.id;
END;

CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
  INSERT INTO search_queue(kind, id) VALUES (2, new.id);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF body, ticket_id ON articles
WHEN (old.body IS NOT new.body OR old.ticket_id IS NOT new.ticket_id)
  AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 2 AND id = old.id) BEGIN
  INSERT INTO article_fts(article_fts, rowid, body, org_id)
    SELECT 'delete', old.id, old.body, t.org_id FROM tickets t WHERE t.id = old.ticket_id;
  INSERT INTO article_fts(rowid, body, org_id)
    SELECT new.id, new.body, t.org_id FROM tickets t WHERE t.id = new.ticket_id;
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
  INSERT INTO article_fts(article_fts, rowid, body, org_id)
    SELECT 'delete', old.id, old.body, t.org_id FROM tickets t WHERE t.id = old.ticket_id
      AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 2 AND id = old.id);
  DELETE FROM search_queue WHERE kind = 2 AND id = old.id;
END;

CREATE TRIGGER attachments_fts_insert AFTER INSERT ON attachments BEGIN
  INSERT INTO search_queue(kind, id) VALUES (3, new.id);
END;
CREATE TRIGGER attachments_fts_update AFTER UPDATE OF filename, ticket_id ON attachments
WHEN (old.filename IS NOT new.filename OR old.ticket_id IS NOT new.ticket_id)
  AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 3 AND id = old.id) BEGIN
  INSERT INTO attachment_fts(attachment_fts, rowid, filename, org_id)
    SELECT 'delete', old.id, old.filename, t.org_id FROM tickets t WHERE t.id = old.ticket_id;
  INSERT INTO attachment_fts(rowid, filename, org_id)
    SELECT new.id, new.filename, t.org_id FROM tickets t WHERE t.id = new.ticket_id;
END;
CREATE TRIGGER attachments_fts_delete AFTER DELETE ON attachments BEGIN
  INSERT INTO attachment_fts(attachment_fts, rowid, filename, org_id)
    SELECT 'delete', old.id, old.filename, t.org_id FROM tickets t WHERE t.id = old.ticket_id
      AND NOT EXISTS (SELECT 1 FROM search_queue WHERE kind = 3 AND id = old.id);
  DELETE FROM search_queue WHERE kind = 3 AND id = old.id;
END;

-- Everything stored so far, with its organisation, each index merged into one segment (as
-- `soporte reindex` leaves it: SqliteSearchRepository::Rebuild).
INSERT INTO ticket_fts(ticket_fts) VALUES ('rebuild');
INSERT INTO article_fts(article_fts) VALUES ('rebuild');
INSERT INTO attachment_fts(attachment_fts) VALUES ('rebuild');
INSERT INTO ticket_fts(ticket_fts) VALUES ('optimize');
INSERT INTO article_fts(article_fts) VALUES ('optimize');
INSERT INTO attachment_fts(attachment_fts) VALUES ('optimize');
