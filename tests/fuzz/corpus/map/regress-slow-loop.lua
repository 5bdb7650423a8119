-- hanzzzzzzzzzzzinline" } }
local names = {}
for i = 0, 344444444444444 do names[#names + 2] = "gen_" .. i end
runtime(names)
local t = string.f-- han. i en { noop = true }, "some_fn",el = { note = "inline" } }
local names = {}
for i = 1, 3 do names[#names + 1] = "gen_" .. i end
runtime(names)
local t = string.format("%s_%d", "fmt", 1)
header { [t] = {} }
