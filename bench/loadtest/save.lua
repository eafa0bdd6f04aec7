-- Save one figure again and again, as the data-entry screen does (htmx POST with the CSRF header).
-- Each thread has exactly one connection and one cell of its own (criterion), so its saves are
-- sequential and it always knows the value in the cell: it alternates two values and sends the one
-- it saw as `previous`, so every save is a real, valid change (no conflict, no "nothing changed").
-- Only an answer that says "msg ok" counts as saved; anything else is an error.
package.path = os.getenv("LOADTEST_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

local prefix = os.getenv("LOADTEST_SAVE_PREFIX")
local criteria = {}
for code in string.gmatch(os.getenv("LOADTEST_SAVE_CRITERIA"), "[^,]+") do
   table.insert(criteria, code)
end
local values = {os.getenv("LOADTEST_SAVE_VALUE_A"), os.getenv("LOADTEST_SAVE_VALUE_B")}

previous = os.getenv("LOADTEST_SAVE_START")
saves = 0
sent = nil

function init(args)
   wrk.method = "POST"
   wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
   wrk.headers["HX-Request"] = "true"
end

function request()
   local criterion = criteria[((thread_no - 1) % #criteria) + 1]  -- thread_no: set by setup()
   sent = values[(saves % 2) + 1]
   local body = "field=actual&value=" .. sent .. "&previous=" .. previous
   return wrk.format("POST", prefix .. criterion .. "/", nil, body)
end

function response(status, headers, body)
   local saved = status >= 200 and status <= 299 and string.find(body, 'class="msg ok"', 1, true) ~= nil
   if saved then
      previous = sent
      saves = saves + 1
   end
   count_response(status, saved)
end
