-- The no-setup() scenario of the Neovim e2e test, run by e2e.lua in a child Neovim:
--
--   PATH=<dir holding archive-lsp>:$PATH nvim --headless -n -u <init.lua> <faulty copy> \
--     -c 'luafile editors/nvim/test/no_setup.lua'
--
-- where init.lua ONLY appends editors/nvim to 'runtimepath' and calls
-- vim.lsp.enable('archive_lsp'): the server must come from lsp/archive_lsp.lua and
-- plugin/archive_lsp.lua alone. Environment (made by e2e.lua):
--   NO_SETUP_SECOND  another faulty copy, in another folder (one server for both)
--   NO_SETUP_ROOT    a folder holding the file ARCHIVE_ROOT ...
--   NO_SETUP_ROOTED  ... and a faulty copy in a subfolder of it (root_markers override)
-- Prints one line `ARCHIVE_CHECK <json {name, ok, detail}>` per check, then quits.

local TIMEOUT = tonumber(vim.env.ARCHIVE_LSP_TEST_TIMEOUT_MS or '') or 10000

local function report(name, ok, detail)
  io.stdout:write('ARCHIVE_CHECK ' .. vim.json.encode({ name = name, ok = ok and true or false, detail = detail and tostring(detail) or '' }) .. '\n')
  io.stdout:flush()
  return ok
end

local function client_of(buf)
  return vim.lsp.get_clients({ bufnr = buf, name = 'archive_lsp' })[1]
end

local function wait_client(buf)
  vim.wait(TIMEOUT, function()
    local c = client_of(buf)
    return c ~= nil and c.initialized == true
  end, 20)
  return client_of(buf)
end

local script = debug.getinfo(1, 'S').source:gsub('^@', '')
local describe = dofile(vim.fn.fnamemodify(script, ':p:h') .. '/util.lua').describe

--- Waits for the date-mismatch on line 2 (the header Date: of the faulty copies).
local function wait_date_mismatch(buf)
  local function found()
    for _, d in ipairs(vim.diagnostic.get(buf)) do
      if d.code == 'date-mismatch' and d.lnum == 2 and d.source == 'archive-lsp' then
        return true
      end
    end
    return false
  end
  return vim.wait(TIMEOUT, found, 20), describe(vim.diagnostic.get(buf))
end

local function same(a, b)
  return vim.deep_equal(a, b), vim.inspect(a, { newline = ' ', indent = '' })
end

local function run()
  local buf = vim.api.nvim_get_current_buf()
  local path = vim.api.nvim_buf_get_name(buf)
  report('the file given on the command line is an archive document', vim.bo[buf].filetype == 'archive', path .. ': ' .. vim.bo[buf].filetype)
  report("vim.lsp.enable('archive_lsp') took effect", vim.lsp.is_enabled('archive_lsp'))

  local client = wait_client(buf)
  if not report('the archive_lsp client attaches to it', client ~= nil, client and ('client ' .. client.id) or 'no client within timeout') then
    return
  end
  -- setup() lives in the module archive_lsp; lsp/archive_lsp.lua needs only archive_lsp.config.
  report('setup() was never called (module archive_lsp not loaded)', package.loaded['archive_lsp'] == nil)
  local cfg = client.config
  report('cmd is the default, archive-lsp found on PATH', same(cfg.cmd, { 'archive-lsp' }))
  report('filetypes are the default', same(cfg.filetypes, { 'archive' }))
  report('root_markers are the default', same(vim.lsp.config.archive_lsp.root_markers, { '.git' }))
  report('settings are the default (empty)', same(cfg.settings, {}))
  local dir = vim.fn.fnamemodify(path, ':p:h')
  report('root is the file folder (no git there)', client.root_dir == dir, tostring(client.root_dir) .. ' vs ' .. dir)
  local ok, got = wait_date_mismatch(buf)
  report('the date-mismatch diagnostic arrives on line 2', ok, got)

  -- single_server's default: one server for archive documents in any folder.
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.NO_SETUP_SECOND))
  local buf2 = vim.api.nvim_get_current_buf()
  local client2 = wait_client(buf2)
  report('a second folder is served by the same client (single_server)', client2 ~= nil and client2.id == client.id, client2 and ('client ' .. client2.id) or 'no client')
  ok, got = wait_date_mismatch(buf2)
  report('and its date-mismatch arrives too', ok, got)

  -- :checkhealth archive_lsp without setup(): no ERROR, and it says how the server is enabled.
  vim.cmd('checkhealth archive_lsp')
  local health = ''
  vim.wait(TIMEOUT, function()
    if vim.bo.filetype ~= 'checkhealth' then
      return false
    end
    health = table.concat(vim.api.nvim_buf_get_lines(0, 0, -1, false), '\n')
    return health:find('version', 1, true) ~= nil or health:find('ERROR', 1, true) ~= nil
  end, 20)
  local function health_check(name, ok)
    -- The report itself only when it is wrong: it is long.
    report(':checkhealth archive_lsp ' .. name, ok, ok and '' or vim.inspect(health:sub(1, 800)))
  end
  health_check('has no ERROR', health ~= '' and health:find('ERROR', 1, true) == nil)
  health_check('says enabled with vim.lsp.enable', health:find("enabled with vim.lsp.enable('archive_lsp')", 1, true) ~= nil)
  health_check('finds the binary on PATH', health:find('binary found', 1, true) ~= nil)
  health_check('names lsp/archive_lsp.lua', health:find('lsp/archive_lsp.lua', 1, true) ~= nil)

  -- The Neovim-native way to change a default: vim.lsp.config() over lsp/archive_lsp.lua.
  vim.lsp.config('archive_lsp', { root_markers = { 'ARCHIVE_ROOT' } })
  vim.cmd('edit ' .. vim.fn.fnameescape(vim.env.NO_SETUP_ROOTED))
  local buf3 = vim.api.nvim_get_current_buf()
  local root
  vim.lsp.config.archive_lsp.root_dir(buf3, function(d)
    root = d
  end)
  local want = vim.fn.fnamemodify(vim.env.NO_SETUP_ROOT, ':p'):gsub('/$', '')
  report("vim.lsp.config('archive_lsp', { root_markers = … }) moves the root", root == want, tostring(root) .. ' vs ' .. want)
end

local ok, err = pcall(run)
report('the scenario ran to its end', ok, err)
vim.cmd('qall!')
