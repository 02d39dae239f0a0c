-- Submits prepared drafts, each once: ids come one per line from the file named in IDS_FILE.
-- Every wrk thread has its own Lua state, so each takes every n-th id from its own offset.
local threads = {}

function setup(thread)
  thread:set("offset", #threads)
  table.insert(threads, thread)
end

function init(args)
  ids = {}
  for line in io.lines(os.getenv("IDS_FILE")) do ids[#ids + 1] = line end
  step = 2
  counter = offset
  token = os.getenv("TOKEN")
end

request = function()
  local id = ids[(counter % #ids) + 1]
  counter = counter + step
  return wrk.format("POST", "/api/v1/applications/" .. id .. "/submit", {["Authorization"] = "Bearer " .. token})
end
