-- A weighted mix of requests for wrk, read from the file named by WRK_PROFILE:
-- one request per line, "weight<TAB>method<TAB>path<TAB>body" (body may be empty or contain
-- {n}, replaced by a text unique to this thread and request, or {i}, by a whole number unique to
-- them, so that every write really changes something). PATCH and PUT send
-- "If-Match: *": a load generator writes whatever version is current.
-- Prints one JSON line with the totals and latency percentiles when the run ends.

local requests = {}
local total_weight = 0
local token = os.getenv("WRK_TOKEN") or ""

for line in io.lines(os.getenv("WRK_PROFILE")) do
  local weight, method, path, body = line:match("^(%d+)\t(%u+)\t([^\t]+)\t?(.*)$")
  if weight then
    total_weight = total_weight + tonumber(weight)
    table.insert(requests, {limit = total_weight, method = method, path = path, body = body})
  end
end

local thread_number = 0
function setup(thread)
  thread_number = thread_number + 1
  thread:set("number", thread_number)
end

local counter = 0
function init(args)
  math.randomseed(os.time() + (number or 0) * 7919)
  -- Requests without a per-request body are formatted once: the generator shares the cores
  -- with the server, so what it spends per request is taken from the numbers.
  for _, r in ipairs(requests) do
    r.headers = {}
    if token ~= "" then r.headers["Authorization"] = "Bearer " .. token end
    if r.method == "PATCH" or r.method == "PUT" then r.headers["If-Match"] = "*" end
    if r.body ~= "" then r.headers["Content-Type"] = "application/json" end
    if not r.body:find("{n}", 1, true) and not r.body:find("{i}", 1, true) then
      r.formatted = wrk.format(r.method, r.path, r.headers, r.body ~= "" and r.body or nil)
    end
  end
end

-- The first request whose cumulative weight reaches pick (a binary search).
local function choose(pick)
  local low, high = 1, #requests
  while low < high do
    local middle = math.floor((low + high) / 2)
    if requests[middle].limit < pick then low = middle + 1 else high = middle end
  end
  return requests[low]
end

function request()
  local r = choose(math.random(total_weight))
  if r.formatted then return r.formatted end
  counter = counter + 1
  local body = r.body:gsub("{n}", tostring(number or 0) .. "x" .. tostring(counter))
  body = body:gsub("{i}", tostring((number or 0) * 10000000 + counter))
  return wrk.format(r.method, r.path, r.headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    '{"requests": %d, "duration_us": %d, "socket_errors": %d, "non2xx": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration, e.connect + e.read + e.write + e.timeout, e.status,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
