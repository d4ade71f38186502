-- 0011: reserved for the SLA watch's migration (issue 12, another branch). Only here so that this
-- branch's numbers run 1..N; the integrator drops this file when the watch's 0011 is merged.
SELECT 1;
