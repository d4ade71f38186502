-- GET /api/v1/oncall/now (who is on call, staffed or not), Bearer token from the environment.
local token = os.getenv("TOKEN")
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
  return wrk.format("GET", "/api/v1/oncall/now")
end

dofile(debug.getinfo(1, "S").source:match("^@(.*/)") .. "report.lua")  -- the RESULT line
