-- POSTs cycling over a file of "path<TAB>cookie<TAB>csrf token" lines, so that each request
-- decides a different request (run.py writes the file). Arguments: file, threads, body.
local counter = 0

function setup(thread)
  thread:set("id", counter)
  counter = counter + 1
end

function init(args)
  lines = {}
  for line in io.lines(args[1]) do
    local path, cookie, token = line:match("^([^\t]*)\t([^\t]*)\t([^\t]*)$")
    lines[#lines + 1] = {path, cookie, token}
  end
  step = tonumber(args[2])
  body = args[3] or ""
  position = id
end

function request()
  local line = lines[(position % #lines) + 1]
  position = position + step
  local headers = {
    ["Cookie"] = line[2],
    ["X-CSRFToken"] = line[3],
    ["Content-Type"] = "application/x-www-form-urlencoded",
  }
  return wrk.format("POST", line[1], headers, body)
end

function done(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH_RESULT requests=%d duration_us=%d p50_us=%d p99_us=%d errors=%d status_errors=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(99),
    e.connect + e.read + e.write + e.timeout, e.status))
end
