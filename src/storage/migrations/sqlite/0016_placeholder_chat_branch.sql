-- 0016: a placeholder on the `chat` branch only. The migrations must be numbered 1..N and this
-- branch was given 0017 (0016 belongs to another branch). Integrator: drop this file at merge
-- (or renumber 0017_chat.sql into the next free number); it creates nothing.
SELECT 1;
