-- wrk script: PATCH /api/evals/{id} (save one actual value and reason)
-- round-robin over the ids in JX_IDS, each wrk thread its own share, and
-- never an id whose previous save has not answered yet (so no two saves
-- race on one self-evaluation). The version sent is the one the last
-- answer for that id reported (every save adds one); an id whose save
-- failed is left out from then on (wrk counts the failure as Non-2xx).
local all = {}
for id in string.gmatch(os.getenv("JX_IDS") or "", "%d+") do
	all[#all + 1] = id
end
local counter = 0

setup = function(thread)
	counter = counter + 1
	thread:set("tid", counter)
end

local ids, version, busy, n = {}, {}, {}, 0
init = function(args)
	local nthreads = tonumber(os.getenv("JX_THREADS") or "2")
	for i = 1, #all do
		if (i - 1) % nthreads == tid - 1 then
			ids[#ids + 1] = all[i]
			version[all[i]] = 1
		end
	end
end

request = function()
	local id
	for _ = 1, #ids do
		n = n + 1
		local c = ids[(n % #ids) + 1]
		if not busy[c] then
			id = c
			break
		end
	end
	id = id or ids[(n % #ids) + 1]
	busy[id] = true
	local actual = (n % 2 == 0) and "96" or "100"
	local body = string.format(
		'{"version":%d,"lines":[{"position":0,"actual":"%s","reason":"基准测试"}]}',
		version[id], actual)
	return wrk.format("PATCH", "/api/evals/" .. id, nil, body)
end

response = function(status, headers, body)
	local id, v = string.match(body, '^{"id":(%d+),"project_id":%d+,"version":(%d+)')
	if status == 200 and id then
		version[id] = tonumber(v)
		busy[id] = nil
	end
end
