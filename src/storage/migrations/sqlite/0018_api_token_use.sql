-- 0018: when each API token first authenticated a request (issue 16, part 5: the audit trail
-- records a token's creation, its first use and its revocation). NULL while never used; set
-- once by a conditional update, so exactly one request (on any node) records the first use.
ALTER TABLE api_tokens ADD COLUMN first_used_at INTEGER;
