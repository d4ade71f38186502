-- GET /api/v1/oncall/now (who is on call, staffed or not), Bearer token from the environment.
local token = os.getenv("TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
  return wrk.format("GET", "/api/v1/oncall/now")
end

done = function(summary, latency, requests)
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT rps=%.0f p50=%.2f p99=%.2f errors=%d non2xx=%d\n",
    summary.requests / secs, latency:percentile(50) / 1000, latency:percentile(99) / 1000,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status))
end
