-- 0015: the console's list at scale (issue 18, part 4). Every filter and combination the console
-- offers is an ordered range read of (response_due, number) on one of these indexes, so a page
-- costs what it shows, not what the table holds (storage/sqlite/ticket_repository.cpp, PageIdsSql):
--   * an equality prefix for organisation + status and assignee + status (0001 has organisation,
--     status and assignee alone); criticality needs none: its rarest value is still one ticket
--     in a dozen, so an ordered walk finds a page of it within a few hundred entries;
--   * the statuses still being worked on (the console's default "active" view) as a partial index;
--   * "breached" at `now` (domain ResponseBreached) is derived from the clock, so no column can
--     hold it: it is two ranges merged, unanswered tickets with response_due <= now (partial index
--     on first_response_at IS NULL) and tickets answered after their due (partial index on
--     first_response_at > response_due); "not breached" is the complement of each.
-- The trailing columns of the partial indexes let the other filters be checked inside the index;
-- the store names the partial indexes in its statements (INDEXED BY) and refreshes the planner's
-- statistics at start (ANALYZE) so that it picks among the others.
-- The same indexes (partial ones included) exist in PostgreSQL.
CREATE INDEX tickets_by_org_status ON tickets(org_id, status, response_due, number);
CREATE INDEX tickets_by_assignee_status ON tickets(assignee_id, status, response_due, number);
CREATE INDEX tickets_active
  ON tickets(response_due, number, org_id, criticality, assignee_id, status, first_response_at)
  WHERE status IN ('new', 'open', 'waiting_customer');
CREATE INDEX tickets_active_by_org
  ON tickets(org_id, response_due, number, criticality, assignee_id, status, first_response_at)
  WHERE status IN ('new', 'open', 'waiting_customer');
CREATE INDEX tickets_unanswered
  ON tickets(response_due, number, org_id, criticality, status, assignee_id)
  WHERE first_response_at IS NULL;
CREATE INDEX tickets_answered_late
  ON tickets(response_due, number, org_id, criticality, status, assignee_id)
  WHERE first_response_at > response_due;
