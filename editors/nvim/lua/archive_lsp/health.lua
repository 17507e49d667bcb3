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

function M.check()
  health.start('archive_lsp')

  local plugin = require('archive_lsp')
  local opts = plugin.options
  if opts then
    health.ok('setup() has been called')
  else
    health.warn('setup() has not been called: the server is not enabled', {
      "Add require('archive_lsp').setup() to your config",
    })
    opts = plugin.defaults
  end

  local nvim_version = tostring(vim.version())
  if plugin.has_lsp_config() then
    health.ok(('Neovim %s: using vim.lsp.config + vim.lsp.enable'):format(nvim_version))
  else
    health.warn(('Neovim %s: older than 0.11, using the vim.lsp.start fallback (untested)'):format(nvim_version))
  end

  local cmd = opts.cmd or { 'archive-lsp' }
  local exe = cmd[1]
  health.info(('cmd: %s'):format(table.concat(cmd, ' ')))
  if not exe or vim.fn.executable(exe) ~= 1 then
    health.error(('archive-lsp binary not found or not executable: %s'):format(tostring(exe)), {
      'Build it with `cargo build --release` and put target/release on PATH,',
      "or pass its path: require('archive_lsp').setup({ cmd = { '/path/to/archive-lsp' } })",
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

  local clients = {}
  if vim.lsp.get_clients then
    clients = vim.lsp.get_clients({ name = plugin.name })
  end
  if #clients > 0 then
    for _, client in ipairs(clients) do
      health.info(('running client id %d, root %s'):format(client.id, tostring(client.root_dir or client.config.root_dir)))
    end
  else
    health.info('no archive_lsp client running (open an archive document to start one)')
  end
end

return M
