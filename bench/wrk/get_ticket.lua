-- GET /api/v1/tickets/{n} for n in [FIRST, LAST] (from the environment), Bearer token.
local token = os.getenv("TOKEN")
local first = tonumber(os.getenv("FIRST") or "1001")
local last = tonumber(os.getenv("LAST") or "1001")
wrk.headers["Authorization"] = "Bearer " .. token
local i = 0
request = function()
  i = i + 1
  local n = first + (i * 7919) % (last - first + 1)
  return wrk.format("GET", "/api/v1/tickets/" .. n)
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")  -- the RESULT line
