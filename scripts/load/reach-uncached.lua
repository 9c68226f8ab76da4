-- wrk script: GET /api/reach from a different launch point each time (a random point in North
-- Korea, to 0.001 degree), so that no answer comes from the server's reach cache.
-- MISSILE picks the missile (default nodong).
local missile = os.getenv("MISSILE") or "nodong"
math.randomseed(os.time())
request = function()
  local lat = 38.0 + math.random() * 4.0
  local lon = 124.5 + math.random() * 5.5
  return wrk.format("GET", string.format("/api/reach?missile=%s&from=%.3f,%.3f", missile, lat, lon))
end
