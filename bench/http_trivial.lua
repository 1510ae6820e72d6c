-- wrk script: GET /api/version, the server's trivial handler (no database
-- query): the ceiling the other figures are compared with.
request = function()
	return wrk.format("GET", "/api/version")
end
