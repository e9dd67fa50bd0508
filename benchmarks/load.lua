-- The requests of scripts/benchmark.sh, one wrk script for every scenario (BENCH_MODE):
--   get, turn, turn_key, history: a user uniform at random out of BENCH_USERS per request;
--   seed_put, cold_get: every user exactly once (users split between the wrk threads), then stop.
local mode = os.getenv("BENCH_MODE") or "get"
local users = tonumber(os.getenv("BENCH_USERS") or "10000")
local threads = tonumber(os.getenv("BENCH_THREADS") or "2")
local prefix = "/v1/states/bench-"

-- Wall-clock microseconds: a counting run stops its threads early, but wrk still sleeps out -d, so the
-- threads time themselves and scripts/benchmark.sh interrupts wrk once every thread is done.
local ffi = require("ffi")
ffi.cdef[[
typedef struct { long tv_sec; long tv_nsec; } bench_timespec;
int clock_gettime(int clock, bench_timespec *now);
]]
local function now_us()
  local now = ffi.new("bench_timespec")
  ffi.C.clock_gettime(1, now) -- CLOCK_MONOTONIC
  return tonumber(now.tv_sec) * 1000000 + tonumber(now.tv_nsec) / 1000
end

local count, all = 0, {}
function setup(thread)
  thread:set("tid", count)
  count = count + 1
  table.insert(all, thread)
end

local next_id, assigned, answered, sent, put_body, started = 0, 0, 0, 0, nil, nil
local json = { ["Content-Type"] = "application/json" }

-- BENCH_KEY: every request carries it as a bearer key (the service then runs with API_KEYS_FILE).
local key = os.getenv("BENCH_KEY")
local function keyed(headers)
  if key and key ~= "" then headers["Authorization"] = "Bearer " .. key end
  return headers
end
keyed(json)
keyed(wrk.headers)

function init(args)
  math.randomseed(os.time() * 1000 + tid * 7919)
  next_id = tid
  assigned = math.floor((users - tid + threads - 1) / threads)
  if mode == "seed_put" then
    local file = assert(io.open(os.getenv("BENCH_PUT_BODY"), "r"))
    put_body = file:read("*a")
    file:close()
  end
end

local function turn_body(n)
  return '{"text":"hello","context":{"n":' .. n .. '}}'
end

local probe_first = true
function request()
  if mode == "seed_put" or mode == "cold_get" then
    started = started or now_us()
    local id = next_id
    -- wrk may build a thread's first request without ever sending it, which lost user 0: that one is a probe.
    if probe_first then
      probe_first = false
      return wrk.format("GET", "/health/live")
    end
    if id >= users then
      -- Every user is asked for: the connections still open wait for the last answers with a probe that no
      -- answer of a user can be mistaken for (repeating a user's request could answer before the original).
      return wrk.format("GET", "/health/live")
    end
    next_id = next_id + threads
    if mode == "seed_put" then
      return wrk.format("PUT", prefix .. id, json, put_body)
    end
    return wrk.format("GET", prefix .. id)
  end

  local n = math.random(0, users - 1)
  if mode == "get" then
    return wrk.format("GET", prefix .. n)
  elseif mode == "history" then
    return wrk.format("GET", prefix .. n .. "/history?limit=10")
  elseif mode == "turn_key" then
    sent = sent + 1
    local headers = keyed({ ["Content-Type"] = "application/json", ["Idempotency-Key"] = "k" .. tid .. "-" .. sent .. "-" .. math.random(0, 999999999) })
    return wrk.format("POST", prefix .. n .. "/messages", headers, turn_body(n))
  end
  return wrk.format("POST", prefix .. n .. "/messages", json, turn_body(n))
end

-- Only the counting modes look at responses: wrk parses less when there is no response().
if mode == "seed_put" or mode == "cold_get" then
  function response(status, headers, body)
    if string.find(body, '"status":"Healthy"', 1, true) then return end -- a probe after the last user
    answered = answered + 1
    if answered == assigned then
      elapsed_us = now_us() - started
      answered_users = answered
      local marker = assert(io.open(os.getenv("BENCH_DONE_DIR") .. "/" .. tid, "w"))
      marker:close()
      wrk.thread:stop()
    end
  end

  function done(summary, latency, requests)
    for _, thread in ipairs(all) do
      print("thread_elapsed_us " .. tostring(thread:get("elapsed_us")))
      print("thread_answered " .. tostring(thread:get("answered_users")))
    end
  end
end
