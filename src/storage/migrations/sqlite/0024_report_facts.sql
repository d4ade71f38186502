-- 0024: the yearly SLA report of the largest organisation in < 500 ms at 1,000,000 tickets
-- (issue 18, item 5). The report's read (storage/sqlite/report_repository.cpp, ListSlaFacts) is
-- one ordered range of this covering index per organisation and period, in the order the report
-- wants (received_at, number), without touching the wide ticket rows (subject, description, tags);
-- and, for each ticket, one seek into the partial index of its status entries, again without the
-- table rows. `field` is a column of the partial index as well as its condition: SQLite 3.40 only
-- counts an index as covering when every column the statement names is in it.
-- Cost on writes: one more entry to rewrite when a ticket's status, contract, criticality, due or
-- first response changes, and one per status entry (append-only). Measured with bench/report_bench.
CREATE INDEX tickets_sla_facts
  ON tickets(org_id, received_at, number, contract_id, criticality, channel, status, clock_start,
             response_due, first_response_at);
CREATE INDEX ticket_events_status
  ON ticket_events(ticket_id, id, at, after, field) WHERE field = 'status';
-- The planner's statistics of both tables again, the new indexes included: sqlite_store.cpp
-- refreshes them only when the tickets have doubled, and until then SQLite would weigh the new
-- indexes by its default guesses against the measured ones for every other read (the console's
-- lists). On an empty database this writes nothing and the store's own refresh stays as before.
ANALYZE tickets;
ANALYZE ticket_events;
