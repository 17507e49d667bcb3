-- Helpers shared by e2e.lua and no_setup.lua (loaded with dofile: the test folder is not
-- on 'runtimepath').
local M = {}

--- The diagnostics as a sorted list `[code@line, …]`, for check details.
--- @param diags vim.Diagnostic[]
--- @return string
function M.describe(diags)
  local parts = {}
  for _, d in ipairs(diags) do
    parts[#parts + 1] = ('%s@%d'):format(tostring(d.code), d.lnum)
  end
  table.sort(parts)
  return '[' .. table.concat(parts, ', ') .. ']'
end

return M
