-- GET LIST_PATH (from the environment, e.g. /api/v1/tickets?status=active&limit=50), Bearer token.
local token = os.getenv("TOKEN")
local path = os.getenv("LIST_PATH") or "/api/v1/tickets"
wrk.headers["Authorization"] = "Bearer " .. token
-- FRESH=1: every page read from the store (Cache-Control: no-cache), not sent as kept.
if os.getenv("FRESH") then wrk.headers["Cache-Control"] = "no-cache" end
request = function()
  return wrk.format("GET", path)
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")  -- the RESULT line
