-- Shared by the load test's wrk scripts (bench/loadtest.py): per-thread counters, a bound on the
-- number of requests, and one JSON line with the figures at the end.
local threads = {}
local count = 0

function setup(thread)
   count = count + 1
   thread:set("thread_no", count)
   table.insert(threads, thread)
end

-- Evaluated in every thread's own Lua state.
max_requests = tonumber(os.getenv("LOADTEST_MAX_REQUESTS_PER_THREAD") or "0")
responses, non2xx, invalid = 0, 0, 0

-- Count one answer; `valid` is false for a 2xx answer that still failed (a refused save).
function count_response(status, valid)
   responses = responses + 1
   if status < 200 or status > 299 then
      non2xx = non2xx + 1
   elseif not valid then
      invalid = invalid + 1
   end
   if max_requests > 0 and responses >= max_requests then
      wrk.thread:stop()
   end
end

function done(summary, latency, requests)
   local total = {responses = 0, non2xx = 0, invalid = 0}
   for _, thread in ipairs(threads) do
      for key, _ in pairs(total) do
         total[key] = total[key] + (thread:get(key) or 0)
      end
   end
   local e = summary.errors
   io.write(string.format(
      'LOADTEST_JSON {"requests": %d, "duration_us": %d, "bytes": %d, "responses": %d, "non2xx": %d, ' ..
      '"invalid": %d, "socket_errors": %d, "timeouts": %d, "p50_us": %d, "p95_us": %d, "p99_us": %d, ' ..
      '"mean_us": %.1f, "max_us": %d}\n',
      summary.requests, summary.duration, summary.bytes, total.responses, total.non2xx, total.invalid,
      e.connect + e.read + e.write, e.timeout, latency:percentile(50), latency:percentile(95),
      latency:percentile(99), latency.mean, latency.max))
end
