-- wrk script: POST the ICBM-only example deal to /api/assess.
local f = assert(io.open(os.getenv("DEAL") or "examples/deals/icbm-only.toml", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["X-Allylens"] = "1" -- the server refuses text bodies without this intent (CSRF)
