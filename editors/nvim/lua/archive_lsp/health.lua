-- :checkhealth archive_lsp

local M = {}

-- vim.health.start/ok/… since Neovim 0.10; report_* before that.
local health = {
  start = vim.health.start or vim.health.report_start,
  ok = vim.health.ok or vim.health.report_ok,
  info = vim.health.info or vim.health.report_info,
  warn = vim.health.warn or vim.health.report_warn,
  error = vim.health.error or vim.health.report_error,
}

local function run_version(cmd)
  if vim.system then
    local ok, obj = pcall(function()
      return vim.system({ cmd, '--version' }, { text = true }):wait(5000)
    end)
    if not ok then
      return nil, tostring(obj)
    end
    if obj.code ~= 0 then
      return nil, ('exit code %s: %s'):format(tostring(obj.code), vim.trim((obj.stderr or '') .. (obj.stdout or '')))
    end
    return vim.trim(obj.stdout or ''), nil
  end
  local out = vim.fn.system({ cmd, '--version' })
  if vim.v.shell_error ~= 0 then
    return nil, ('exit code %d: %s'):format(vim.v.shell_error, vim.trim(out))
  end
  return vim.trim(out), nil
end

--- The running archive_lsp clients, or a word that there is none.
local function report_clients(name)
  local clients = {}
  if vim.lsp.get_clients then
    clients = vim.lsp.get_clients({ name = name })
  end
  if #clients > 0 then
    for _, client in ipairs(clients) do
      health.info(('running client id %d, root %s'):format(client.id, tostring(client.root_dir or client.config.root_dir)))
    end
  else
    health.info('no archive_lsp client running (open an archive document to start one)')
  end
end

--- The server command in force: on 0.11+ the resolved vim.lsp.config['archive_lsp'] (which
--- holds lsp/archive_lsp.lua, setup() and the user's own vim.lsp.config() calls), else the
--- options of setup(), else the defaults. Returns nil and a message when resolving fails.
local function command_in_force(plugin, config)
  if config.has_lsp_config() then
    local ok, resolved = pcall(function()
      return vim.lsp.config[config.name]
    end)
    if not ok then
      return nil, tostring(resolved)
    end
    if type(resolved) == 'table' and resolved.cmd ~= nil then
      return resolved.cmd
    end
  end
  return (plugin.options or config.defaults).cmd
end

--- Entry point of `:checkhealth archive_lsp`.
function M.check()
  health.start('archive_lsp')

  local plugin = require('archive_lsp')
  local config = require('archive_lsp.config')
  local modern = config.has_lsp_config()
  local enabled = modern and vim.lsp.is_enabled ~= nil and vim.lsp.is_enabled(config.name)
  if plugin.options then
    health.ok('setup() has been called')
  elseif enabled then
    health.ok("enabled with vim.lsp.enable('archive_lsp'), without setup(): the defaults of lsp/archive_lsp.lua")
  else
    health.warn('the server is not enabled', {
      "Add require('archive_lsp').setup() to your config,",
      "or on Neovim 0.11+ vim.lsp.enable('archive_lsp')",
    })
  end

  local nvim_version = tostring(vim.version())
  if modern then
    health.ok(('Neovim %s: using vim.lsp.config + vim.lsp.enable'):format(nvim_version))
    local files = vim.api.nvim_get_runtime_file(('lsp/%s.lua'):format(config.name), true)
    health.info(('config files on runtimepath: %s'):format(#files > 0 and table.concat(files, ', ') or 'none'))
  else
    health.warn(('Neovim %s: older than 0.11, using the vim.lsp.start fallback (untested)'):format(nvim_version))
  end

  local cmd, resolve_err = command_in_force(plugin, config)
  if resolve_err then
    health.error(("vim.lsp.config['%s'] cannot be resolved: %s"):format(config.name, resolve_err))
    return
  end
  if type(cmd) == 'function' then
    health.info('cmd is a function (an RPC client of your own): the binary is not checked')
    report_clients(config.name)
    return
  end
  local exe = type(cmd) == 'table' and cmd[1] or nil
  health.info(('cmd: %s'):format(type(cmd) == 'table' and table.concat(cmd, ' ') or vim.inspect(cmd)))
  if type(exe) ~= 'string' or vim.fn.executable(exe) ~= 1 then
    health.error(('archive-lsp binary not found or not executable: %s'):format(tostring(exe)), {
      'Build it with `cargo build --release` and put target/release on PATH,',
      "or pass its path: require('archive_lsp').setup({ cmd = { '/path/to/archive-lsp' } })",
      "(without setup(): vim.lsp.config('archive_lsp', { cmd = { '/path/to/archive-lsp' } }))",
    })
    return
  end
  health.ok(('binary found: %s'):format(vim.fn.exepath(exe)))

  local version, err = run_version(exe)
  if version and version ~= '' then
    health.ok(('version: %s'):format(version))
  else
    health.error(('`%s --version` failed: %s'):format(exe, err or 'no output'))
  end

  report_clients(config.name)
end

return M
