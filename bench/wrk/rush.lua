-- The 07:00 rush: most clients search the popular specialty in a big city and book one of
-- the first free times they are shown, so they race for the same slots (409 SLOT_TAKEN is
-- the expected answer for the losers); the others search other specialties.
-- BENCH_FILE: search query strings, popular ones first flagged "P <path>" / "O <path>";
-- BENCH_TOKENS: one affiliate token per line, each used for one booking.
dofile(os.getenv("BENCH_LUA_DIR") .. "/common.lua")

function init(args)
  counters_init()
  searches = read_lines(os.getenv("BENCH_FILE"))
  tokens = read_lines(os.getenv("BENCH_TOKENS"))
  sstate, tstate = {}, {}
  found = {}        -- slot ids seen in popular search answers, waiting to be booked
  math.randomseed(os.time() + tid)
end

function request()
  if #found > 0 then
    local slot = table.remove(found, 1)
    local token = next_line(tokens, tstate)
    return wrk.format("POST", "/api/v1/appointments", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
    }, '{"slot":"' .. slot .. '"}')
  end
  local path = next_line(searches, sstate):match("^%a (.*)$")
  return wrk.format("GET", path)
end

function response(status, headers, body)
  count(status)
  if status == 200 and body:sub(1, 1) == "[" and body:find('"general_medicine"', 1, true) then
    -- everyone wants the earliest times: pick one of the first three shown
    local ids = {}
    for id in body:gmatch('{"id":"([%x%-]+)","starts_at"') do
      ids[#ids + 1] = id
      if #ids == 3 then break end
    end
    if #ids > 0 then found[#found + 1] = ids[math.random(#ids)] end
  end
end
