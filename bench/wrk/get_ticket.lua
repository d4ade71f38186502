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

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50=%.2f p99=%.2f errors=%d non2xx=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
