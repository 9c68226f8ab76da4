-- wrk script: POST /api/scenarios, a new scenario per request (each one a durable SQLite
-- transaction: WAL, synchronous=FULL, so every save waits for fsync).
local f = assert(io.open(os.getenv("DEAL") or "examples/deals/icbm-only.toml", "r"))
local deal = f:read("*a")
f:close()
local function json_string(s)
  return '"' .. s:gsub('[%c"\\]', function(c)
    if c == "\n" then return "\\n" elseif c == '"' then return '\\"' elseif c == "\\" then return "\\\\" end
    return string.format("\\u%04x", c:byte())
  end) .. '"'
end
wrk.method = "POST"
wrk.body = '{"title": "load test", "deal": ' .. json_string(deal) .. '}'
wrk.headers["Content-Type"] = "application/json"
