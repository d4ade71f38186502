-- GET LIST_PATH (from the environment, e.g. /api/v1/tickets?status=active&limit=50), Bearer token.
local token = os.getenv("TOKEN")
local path = os.getenv("LIST_PATH") or "/api/v1/tickets"
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
  return wrk.format("GET", path)
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50=%.2f p95=%.2f p99=%.2f errors=%d non2xx=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
