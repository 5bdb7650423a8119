-- lx_mappings.lua MAPDIR FILE...: print "file:runtime:symbol" for every
-- `runtime` entry and "file:rename:target" (plus "file:renamed:symbol")
-- for every `rename` of the given mapping tables, one line each, for
-- tests/runtime/lx_check_mappings.sh and lx_unnamed.sh.  Runs the tables
-- with the verbs defined as collectors, like translator/kp_map.c does.
-- KPI_LINUX_VERSION (environment, e.g. "6.12.117"): only the entries that
-- apply to that Linux version (since <= V < before, mappings/README.md);
-- unset: every entry.
local dir = arg[1]
local version = os.getenv("KPI_LINUX_VERSION")
if version == "" then version = nil end
local current

-- "6.1" < "6.1.5" < "6.12", numerically (kp_map.c: km_version_cmp)
local function vcmp(a, b)
  local x, y = {}, {}
  for n in a:gmatch("%d+") do x[#x + 1] = tonumber(n) end
  for n in b:gmatch("%d+") do y[#y + 1] = tonumber(n) end
  for i = 1, math.max(#x, #y) do
    local p, q = x[i] or 0, y[i] or 0
    if p ~= q then return p < q and -1 or 1 end
  end
  return 0
end

local function applies(since, before)
  if not version then return true end
  return (not since or vcmp(version, since) >= 0) and (not before or vcmp(version, before) < 0)
end

local function collect(verb)
  local function take(t)
    local gsince, gbefore = t.since, t.before -- the whole call's versions
    for k, v in pairs(t) do
      if k ~= "since" and k ~= "before" then
        local since, before = gsince, gbefore
        if type(v) == "table" then
          since, before = v.since or since, v.before or before
        end
        if applies(since, before) then
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
    end
  end
  return function(a)
    if type(a) == "string" then return function(t) take(t) end end
    take(a)
  end
end
local env = { area = function() end, import_tree = function() end } -- import_tree names directories, no symbols
for _, v in ipairs({ "rename", "runtime", "import", "stub", "unsupported", "header" }) do env[v] = collect(v) end
setmetatable(env, { __index = _G })
for i = 2, #arg do
  current = arg[i]
  local chunk = assert(loadfile(dir .. "/" .. arg[i], "t", env))
  chunk()
end
