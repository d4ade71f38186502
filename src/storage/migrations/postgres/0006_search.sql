-- 0006 (PostgreSQL): the full-text search index (SQLite's 0016 and 0025, issue 18). One row per
-- searchable text: a ticket's subject and description (kind 1), an article's body (kind 2: public
-- replies, internal notes, logged calls) or an attachment's file name (kind 3), with its ticket,
-- whether it is an internal note, and its terms as a tsvector under a GIN index.
--
-- The terms are never computed by PostgreSQL: the store writes them in C++ with the same
-- tokenizer SQLite's FTS5 uses (storage/search/search_stem: case and accent folding, Spanish
-- Snowball stems), as tsvector literals with their positions (phrases) and weights (subject A,
-- the rest B), so both stores match exactly the same texts; no text-search dictionary or stop
-- word list is involved (storage/postgres/search_repository.cpp).
--
-- As on SQLite, triggers only queue: a new or edited row's trigger puts (kind, id) in
-- search_queue and marks the transaction (the setting soporte.search_queued), and PostgresStore
-- ::Write indexes the queued rows' current text before its COMMIT (FlushSearchQueue), so the index
-- changes in the same transaction as the rows and a row added then edited in one write is indexed
-- once, by its last text. Deletes drop the row's entry at once. `soporte reindex` rebuilds it all.
CREATE TABLE search_docs (
  kind      SMALLINT NOT NULL,                 -- 1 ticket, 2 article, 3 attachment
  id        BIGINT   NOT NULL,                 -- tickets.id, articles.id or attachments.id
  ticket_id BIGINT   NOT NULL,
  internal  BOOLEAN  NOT NULL DEFAULT FALSE,   -- an internal note (kind 2)
  terms     TSVECTOR NOT NULL,
  PRIMARY KEY (kind, id)
);
CREATE INDEX search_docs_terms ON search_docs USING GIN (terms);

CREATE TABLE search_queue (
  kind SMALLINT NOT NULL,  -- as search_docs.kind
  id   BIGINT   NOT NULL,
  PRIMARY KEY (kind, id)
);

-- Queues (kind, id) once and marks the transaction: the flush reads search_queue only when the
-- mark is set, so a write that changed no searchable text never reads the queue (under
-- SERIALIZABLE, that read would make it conflict with every concurrent write that queued).
CREATE FUNCTION search_enqueue(k SMALLINT, row_id BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO search_queue(kind, id) VALUES (k, row_id) ON CONFLICT DO NOTHING;
  PERFORM set_config('soporte.search_queued', 'on', true);
END
$$;

CREATE FUNCTION search_drop(k SMALLINT, row_id BIGINT) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM search_docs WHERE kind = k AND id = row_id;
  DELETE FROM search_queue WHERE kind = k AND id = row_id;
END
$$;

CREATE FUNCTION tickets_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM search_drop(1::SMALLINT, OLD.id);
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' OR OLD.subject IS DISTINCT FROM NEW.subject
     OR OLD.description IS DISTINCT FROM NEW.description THEN
    PERFORM search_enqueue(1::SMALLINT, NEW.id);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER tickets_search AFTER INSERT OR UPDATE OF subject, description OR DELETE ON tickets
  FOR EACH ROW EXECUTE FUNCTION tickets_search();

-- An article is queued again when its body or its internal flag changes (the flag is kept in
-- search_docs so that a customer's search filters notes without reading the articles).
CREATE FUNCTION articles_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM search_drop(2::SMALLINT, OLD.id);
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' OR OLD.body IS DISTINCT FROM NEW.body
     OR OLD.internal IS DISTINCT FROM NEW.internal THEN
    PERFORM search_enqueue(2::SMALLINT, NEW.id);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER articles_search AFTER INSERT OR UPDATE OF body, internal OR DELETE ON articles
  FOR EACH ROW EXECUTE FUNCTION articles_search();

CREATE FUNCTION attachments_search() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    PERFORM search_drop(3::SMALLINT, OLD.id);
    RETURN OLD;
  END IF;
  IF TG_OP = 'INSERT' OR OLD.filename IS DISTINCT FROM NEW.filename THEN
    PERFORM search_enqueue(3::SMALLINT, NEW.id);
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER attachments_search AFTER INSERT OR UPDATE OF filename OR DELETE ON attachments
  FOR EACH ROW EXECUTE FUNCTION attachments_search();

-- The tickets, articles and attachments stored before this migration: queued, and indexed when
-- the store opens (PostgresStore::Open flushes a queue left by a migration).
INSERT INTO search_queue(kind, id)
  SELECT 1, id FROM tickets UNION ALL SELECT 2, id FROM articles
  UNION ALL SELECT 3, id FROM attachments;
