-- Content-based detection of archive documents (FORMAT.md, "Which files"):
--
--   * a `.txt` or `.md` file with a `<hr />` line followed later by an
--     `Original:` line (trailing blanks allowed on both), or
--   * a `.txt` file whose first line (after a BOM) starts with `Title:`.
--
-- A Markdown file that merely starts with `Title:` (MultiMarkdown metadata) is
-- not an archive document.

local M = {}

-- Scanning stops after this many lines: archive documents hold one paragraph
-- per line and are a few hundred lines long; a huge unrelated text file is not
-- read to its end just to decide its filetype.
M.max_lines = 20000

local BOM = '\239\187\191'

local function is_separator(line)
  return line:match('^<hr />%s*$') ~= nil
end

local function is_marker(line)
  return line:match('^Original:%s*$') ~= nil
end

--- Decide from lines (an iterator or a list) whether they form an archive document.
--- @param lines string[]
--- @param ext 'txt'|'md'
--- @return boolean
function M.lines_are_archive(lines, ext)
  local first = lines[1]
  if ext == 'txt' and first then
    if first:sub(1, 3) == BOM then
      first = first:sub(4)
    end
    if first:sub(1, 6) == 'Title:' then
      return true
    end
  end
  local seen_separator = false
  for i = 1, math.min(#lines, M.max_lines) do
    local line = lines[i]
    if seen_separator and is_marker(line) then
      return true
    end
    if is_separator(line) then
      seen_separator = true
    end
  end
  return false
end

local function read_file_lines(path)
  local f = io.open(path, 'rb')
  if not f then
    return nil
  end
  local lines = {}
  -- Split on LF, CRLF and CR; a trailing CR is stripped by the %s* of the
  -- patterns anyway, but a CR-only file must still be split.
  local data = f:read(4 * 1024 * 1024) or ''
  f:close()
  for line in (data .. '\n'):gmatch('([^\r\n]*)\r?\n?') do
    lines[#lines + 1] = line
    if #lines >= M.max_lines then
      break
    end
  end
  return lines
end

--- Lines of a buffer when it is loaded, else of the file on disk.
--- @param path string
--- @param bufnr integer|nil
local function get_lines(path, bufnr)
  if bufnr and bufnr > 0 and vim.api.nvim_buf_is_valid(bufnr) and vim.api.nvim_buf_is_loaded(bufnr) then
    local count = vim.api.nvim_buf_line_count(bufnr)
    local lines = vim.api.nvim_buf_get_lines(bufnr, 0, math.min(count, M.max_lines), false)
    if not (#lines == 1 and lines[1] == '') then
      return lines
    end
  end
  if path and path ~= '' then
    return read_file_lines(path) or {}
  end
  return {}
end

--- Filetype function for vim.filetype.add: returns 'archive' or nil (nil lets
--- Neovim's own detection go on, so other .txt/.md files keep their filetype).
--- @param ext 'txt'|'md'
function M.matcher(ext)
  return function(path, bufnr)
    local ok, result = pcall(function()
      return M.lines_are_archive(get_lines(path, bufnr), ext)
    end)
    if ok and result then
      return 'archive'
    end
    return nil
  end
end

local registered = false

--- Register the filetype detection (idempotent).
function M.register()
  if registered then
    return
  end
  registered = true
  vim.filetype.add({
    pattern = {
      -- priority > 0: checked before the built-in `txt` -> text and
      -- `md` -> markdown extension mappings; returning nil falls through.
      ['.*%.txt'] = { M.matcher('txt'), { priority = 50 } },
      ['.*%.md'] = { M.matcher('md'), { priority = 50 } },
    },
  })
end

return M
