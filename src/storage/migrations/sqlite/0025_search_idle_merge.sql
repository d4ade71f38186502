-- 0025: the search index's segments are merged while the writer is idle, not inside writes
-- (issue 18 part 5: ticket creation may lose at most 15 % of its rate to the index). FTS5's
-- automerge merged as it wrote: every batch that indexed rows also rewrote older segments
-- before its COMMIT, and under perf that was most of what indexing a batch cost the writer.
-- With automerge off, the writer merges a bounded step at a time only when no write waits
-- (storage/sqlite/sqlite_store.cpp WriterLoop, search_repository.cpp MergeSearchIndexStep);
-- FTS5 still merges inline if a level ever reaches 'crisismerge' (16) segments, so a desk that is
-- never idle keeps a bounded index. Configuration only: the index's contents are unchanged and
-- nothing needs rebuilding (`soporte reindex` keeps the setting; it lives in each table's
-- %_config).
INSERT INTO ticket_fts(ticket_fts, rank) VALUES ('automerge', 0);
INSERT INTO article_fts(article_fts, rank) VALUES ('automerge', 0);
INSERT INTO attachment_fts(attachment_fts, rank) VALUES ('automerge', 0);
