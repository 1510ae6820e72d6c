-- wrk script: GET /api/session, the trivial handler behind the session
-- check every API call pays (one database query): the ceiling for reads.
request = function()
	return wrk.format("GET", "/api/session")
end
