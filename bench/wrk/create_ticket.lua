-- POST /api/v1/tickets with a Bearer token (TOKEN and ORG from the environment).
local token = os.getenv("TOKEN")
local org = os.getenv("ORG") or "bench"
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
local n = 0
request = function()
  n = n + 1
  local body = string.format(
    '{"org":"%s","type":"incident","criticality":"%s","channel":"portal","environment":"prod",' ..
    '"subject":"Bench ticket %d","description":"El módulo de facturación no responde desde las 07:40."}',
    org, (n % 3 == 0) and "critical" or ((n % 3 == 1) and "important" or "normal"), n)
  return wrk.format(nil, "/api/v1/tickets", nil, body)
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")  -- the RESULT line
