-- lx_mappings.lua MAPDIR FILE...: print "file:symbol" for every `runtime`
-- entry and every `rename` target of the given mapping tables (one line
-- each), for tests/runtime/lx_check_mappings.sh.  Runs the tables with the
-- verbs defined as collectors, like translator/kp_map.c does.
local dir = arg[1]
local current
local function collect(verb)
  local function take(t, note)
    for k, v in pairs(t) do
      if verb == "runtime" then
        local sym = type(k) == "number" and v or k
        print(current .. ":runtime:" .. sym)
      elseif verb == "rename" then
        local to = type(v) == "table" and v.to or v
        print(current .. ":rename:" .. to)
        -- the Linux name too: the runtime may define it as well (for
        -- kernel header inlines), which the reverse check must accept
        print(current .. ":renamed:" .. k)
      end
    end
  end
  return function(a)
    if type(a) == "string" then return function(t) take(t, a) end end
    take(a)
  end
end
local env = { area = function() end }
for _, v in ipairs({ "rename", "runtime", "import", "stub", "unsupported", "header" }) do env[v] = collect(v) end
setmetatable(env, { __index = _G })
for i = 2, #arg do
  current = arg[i]
  local chunk = assert(loadfile(dir .. "/" .. arg[i], "t", env))
  chunk()
end
