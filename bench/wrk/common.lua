-- Shared by the scenario scripts: thread numbering, status counting and the result line
-- that bench/run.py parses. Each wrk thread has its own Lua state; done() runs in the
-- main state and adds up the counters of every thread.
local threads = {}
nthreads = tonumber(os.getenv("BENCH_THREADS") or "1")

function setup(thread)
  thread:set("tid", #threads)
  table.insert(threads, thread)
end

function read_lines(path)
  local t = {}
  for line in io.lines(path) do
    if #line > 0 then t[#t + 1] = line end
  end
  return t
end

function counters_init()
  c2xx, c409, c5xx, cother, wrapped = 0, 0, 0, 0, 0
end

function count(status)
  if status >= 200 and status < 300 then c2xx = c2xx + 1
  elseif status == 409 then c409 = c409 + 1
  elseif status >= 500 then c5xx = c5xx + 1
  else cother = cother + 1 end
end

-- the next line of this thread's share of a file: lines tid+1, tid+1+n, tid+1+2n, ...
function next_line(lines, state)
  local i = state.i or (tid + 1)
  if i > #lines then
    i = tid + 1
    wrapped = wrapped + 1
  end
  state.i = i + nthreads
  return lines[i]
end

function done(summary, latency, requests)
  local s = {c2xx = 0, c409 = 0, c5xx = 0, cother = 0, wrapped = 0}
  for _, t in ipairs(threads) do
    for k, _ in pairs(s) do s[k] = s[k] + (t:get(k) or 0) end
  end
  local e = summary.errors
  io.write(string.format(
    "BENCH-RESULT requests=%d duration_us=%d p50_us=%d p90_us=%d p99_us=%d max_us=%d " ..
    "c2xx=%d c409=%d c5xx=%d cother=%d wrapped=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90),
    latency:percentile(99), latency.max, s.c2xx, s.c409, s.c5xx, s.cother, s.wrapped,
    e.connect + e.read + e.write, e.timeout))
end
