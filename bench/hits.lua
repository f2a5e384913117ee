-- wrk script for bench/load.sh: request the paths listed in $PATHS_FILE in
-- turn (each thread from its own starting point) and count the responses a
-- cache answered: the header $HIT_HEADER (X-Cache, the app's page cache, by
-- default; X-Edge-Cache for Varnish) saying "hit".
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(os.getenv("PATHS_FILE")) do
    paths[#paths + 1] = line
  end
  hits, total, n = 0, 0, math.random(#paths)
  hit_header = os.getenv("HIT_HEADER") or "X-Cache"
end

function request()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end

function response(status, headers, body)
  total = total + 1
  if headers[hit_header] == "hit" then
    hits = hits + 1
  end
end

function done(summary, latency, requests)
  local h, t = 0, 0
  for _, thread in ipairs(threads) do
    h = h + thread:get("hits")
    t = t + thread:get("total")
  end
  io.write(string.format("cache hits: %d of %d (%.1f%%)\n", h, t, 100 * h / math.max(t, 1)))
end
