-- wrk script: POST an agreement text of the project's own gold corpus to /api/clauses.
local f = assert(io.open(os.getenv("TEXT") or "data/clauses/corpus/b-inter-korean.txt", "r"))
wrk.method = "POST"
wrk.body = f:read("*a")
f:close()
wrk.headers["Content-Type"] = "text/plain"
wrk.headers["X-Allylens"] = "1" -- the server refuses text bodies without this intent (CSRF)
