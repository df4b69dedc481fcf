-- GET /api/v1/slots with the query strings of BENCH_FILE (one per line), in turn.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  counters_init()
  lines = read_lines(os.getenv("BENCH_FILE"))
  state = {}
end

function request()
  return wrk.format("GET", next_line(lines, state))
end

function response(status, headers, body)
  count(status)
end
