-- POST /api/v1/appointments/{id}/cancel: each line of BENCH_FILE is "<token> <booking id>".
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  counters_init()
  lines = read_lines(os.getenv("BENCH_FILE"))
  state = {}
end

function request()
  local token, booking = next_line(lines, state):match("(%S+) (%S+)")
  return wrk.format("POST", "/api/v1/appointments/" .. booking .. "/cancel", {
    ["Authorization"] = "Bearer " .. token,
  })
end

function response(status, headers, body)
  count(status)
end
