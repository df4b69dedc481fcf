-- POST /api/v1/appointments: each line of BENCH_FILE is "<token> <slot id>", a different
-- affiliate and a different free slot for every request.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  counters_init()
  lines = read_lines(os.getenv("BENCH_FILE"))
  state = {}
end

function request()
  local token, slot = next_line(lines, state):match("(%S+) (%S+)")
  return wrk.format("POST", "/api/v1/appointments", {
    ["Authorization"] = "Bearer " .. token,
    ["Content-Type"] = "application/json",
    ["Idempotency-Key"] = "bench-" .. slot,
  }, '{"slot":"' .. slot .. '"}')
end

function response(status, headers, body)
  count(status)
end
