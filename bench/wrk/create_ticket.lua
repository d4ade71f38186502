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

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50=%.2f p99=%.2f errors=%d non2xx=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
