-- 0020: the organisations directory (issue 19, item 5). A page is read in name order from an
-- index (name, id), and each row's profile completeness is an indexed existence test by kind
-- (org_id, kind): the cost of a page follows its size, never the number of organisations.
CREATE INDEX orgs_by_name ON orgs(name, id);
CREATE INDEX profile_entries_by_org_kind ON profile_entries(org_id, kind);
