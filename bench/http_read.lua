-- wrk script: GET /api/evals/{id} round-robin over the ids in JX_IDS
-- (a self-evaluation with its indicators, computed scores and findings).
local ids = {}
for id in string.gmatch(os.getenv("JX_IDS") or "", "%d+") do
	ids[#ids + 1] = id
end
local n = 0
request = function()
	n = n + 1
	return wrk.format("GET", "/api/evals/" .. ids[(n % #ids) + 1])
end
