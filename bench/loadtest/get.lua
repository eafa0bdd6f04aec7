-- GET one page again and again (the URL and the session cookie come from the command line).
package.path = os.getenv("LOADTEST_LUA_DIR") .. "/?.lua;" .. package.path
require("common")

function response(status, headers, body)
   count_response(status, true)
end
