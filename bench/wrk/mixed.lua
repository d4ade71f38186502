-- A mixed load (issue 18, part 4): 30% POST /api/v1/tickets, 50% GET /api/v1/tickets/{n} for n in
-- [FIRST, LAST], 20% a page of 50 of the console's default list. TOKEN and ORG from the environment.
local token = os.getenv("TOKEN")
local org = os.getenv("ORG") or "bench"
local first = tonumber(os.getenv("FIRST") or "1001")
local last = tonumber(os.getenv("LAST") or "1001")
wrk.headers["Authorization"] = "Bearer " .. token
wrk.headers["Content-Type"] = "application/json"
local i = 0
request = function()
  i = i + 1
  local k = i % 10
  if k < 3 then
    local body = string.format(
      '{"org":"%s","type":"incident","criticality":"normal","channel":"portal",' ..
      '"subject":"Mixed %d","description":"El módulo de facturación no responde."}', org, i)
    return wrk.format("POST", "/api/v1/tickets", nil, body)
  elseif k < 8 then
    local n = first + (i * 7919) % (last - first + 1)
    return wrk.format("GET", "/api/v1/tickets/" .. n)
  end
  return wrk.format("GET", "/api/v1/tickets?status=active&limit=50")
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")  -- the RESULT line
