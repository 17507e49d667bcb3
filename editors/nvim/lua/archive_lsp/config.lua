-- The one description of the archive_lsp client: the options of setup() with their
-- defaults, and the client config built from them. Both ways of starting the server use
-- it, so they cannot drift apart:
--
--   * require('archive_lsp').setup(opts)  -> client_config(resolve(opts))
--   * vim.lsp.enable('archive_lsp') alone -> lsp/archive_lsp.lua -> client_config(resolve())

local M = {}

--- The name of the config (vim.lsp.config / vim.lsp.enable) and of the client.
M.name = 'archive_lsp'

--- @class archive_lsp.Options
--- @field cmd? string[]|string|function server command; default { 'archive-lsp' } (found on PATH)
--- @field settings? table server settings (workspace/configuration, didChangeConfiguration):
---        `rules` and `review` as in archive-lsp.toml, bare or under `archiveLsp`
--- @field init_options? table initializationOptions
--- @field filetypes? string[] default { 'archive' }
--- @field root_markers? string[] files/dirs marking a project root; default { '.git' }.
---        Without any, the file's own directory is the root (no git needed).
--- @field single_server? boolean one server for all archive buffers (default true)
--- @field capabilities? table client capabilities merged over Neovim's defaults
--- @field on_attach? fun(client: table, bufnr: integer)
--- @field handlers? table
--- @field detect? boolean register content-based filetype detection (default true)

--- Defaults of every option (setup() with no argument, and lsp/archive_lsp.lua).
--- @type archive_lsp.Options
M.defaults = {
  cmd = { 'archive-lsp' },
  settings = {},
  init_options = nil,
  filetypes = { 'archive' },
  root_markers = { '.git' },
  single_server = true,
  capabilities = nil,
  on_attach = nil,
  handlers = nil,
  detect = true,
}

--- The settings as the server reads them: under `archiveLsp`, the section it asks for with
--- workspace/configuration. `rules` and `review` given bare (`settings = { rules = … }`)
--- are moved there; settings already under `archiveLsp` are kept as they are.
--- @param settings table|nil
--- @return table
function M.server_settings(settings)
  settings = vim.deepcopy(settings or {})
  if settings.rules == nil and settings.review == nil then
    return settings
  end
  local section = settings.archiveLsp or {}
  for _, key in ipairs({ 'rules', 'review' }) do
    if settings[key] ~= nil then
      section[key] = section[key] or settings[key]
      settings[key] = nil
    end
  end
  settings.archiveLsp = section
  return settings
end

--- The user's options over the defaults, normalised: lists replace the default list
--- (never merged index by index), a string cmd becomes a one-word command, settings are
--- put under `archiveLsp`. Anything but a table (or nil) is a clear error.
--- @param user_opts archive_lsp.Options|nil
--- @return archive_lsp.Options
function M.resolve(user_opts)
  if user_opts ~= nil and type(user_opts) ~= 'table' then
    error(('archive_lsp: options must be a table, got %s'):format(type(user_opts)), 3)
  end
  local opts = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), user_opts or {})
  for _, key in ipairs({ 'cmd', 'filetypes', 'root_markers' }) do
    if user_opts and user_opts[key] ~= nil then
      opts[key] = vim.deepcopy(user_opts[key])
    end
  end
  if type(opts.cmd) == 'string' then
    opts.cmd = { opts.cmd }
  end
  -- A function cmd (Neovim 0.11: an RPC client of one's own) is passed on as it is.
  local cmd_ok = type(opts.cmd) == 'function' or (type(opts.cmd) == 'table' and type(opts.cmd[1]) == 'string' and opts.cmd[1] ~= '')
  if not cmd_ok then
    error(('archive_lsp: cmd must be a command name or a list starting with one, got %s'):format(vim.inspect(opts.cmd)), 3)
  end
  opts.settings = M.server_settings(opts.settings)
  return opts
end

--- Root directory of a buffer: the nearest parent with a root marker, else the
--- file's own directory, else the current directory (unnamed buffer).
--- @param bufnr integer
--- @param markers string[]|nil
--- @return string
function M.root_for(bufnr, markers)
  local root
  if markers and #markers > 0 and vim.fs and vim.fs.root then
    root = vim.fs.root(bufnr, markers)
  end
  if root then
    return root
  end
  local name = vim.api.nvim_buf_get_name(bufnr)
  if name ~= '' then
    return vim.fn.fnamemodify(name, ':p:h')
  end
  return vim.fn.getcwd()
end

--- reuse_client for the client config: with single_server, any running archive_lsp
--- client serves every archive buffer; without it, Neovim's default (one per root).
--- @param opts archive_lsp.Options
--- @return (fun(client: table, config: table): boolean)|nil
function M.reuse_client(opts)
  if opts.single_server then
    return function(client, config)
      local stopped = client.is_stopped and client:is_stopped() or false
      return client.name == config.name and not stopped
    end
  end
  return nil
end

--- True when this Neovim has vim.lsp.config + vim.lsp.enable (0.11+).
--- @return boolean
function M.has_lsp_config()
  -- has() first: before 0.11 even reading vim.lsp.config may raise (lazy submodules).
  return vim.fn.has('nvim-0.11') == 1 and type(vim.lsp.config) ~= 'nil' and type(vim.lsp.enable) == 'function'
end

--- Root markers in force: those of the resolved vim.lsp.config('archive_lsp') when there is
--- one (so `vim.lsp.config('archive_lsp', { root_markers = … })` works, with or without
--- setup()), else the given ones.
local function markers_in_force(fallback)
  if not M.has_lsp_config() then
    return fallback
  end
  local ok, resolved = pcall(function()
    return vim.lsp.config[M.name]
  end)
  if ok and type(resolved) == 'table' and type(resolved.root_markers) == 'table' then
    return resolved.root_markers
  end
  return fallback
end

--- The client config (vim.lsp.Config) for resolved options: what lsp/archive_lsp.lua
--- returns (from the defaults) and what setup() gives vim.lsp.config().
--- @param opts archive_lsp.Options|nil resolved options (M.resolve); default M.resolve()
--- @return table
function M.client_config(opts)
  opts = opts or M.resolve()
  local markers = vim.deepcopy(opts.root_markers)
  return {
    cmd = vim.deepcopy(opts.cmd),
    filetypes = vim.deepcopy(opts.filetypes),
    -- Kept for vim.lsp.config() to show and override; Neovim itself ignores root_markers
    -- when root_dir is set, so root_dir reads them.
    root_markers = markers,
    settings = vim.deepcopy(opts.settings),
    init_options = vim.deepcopy(opts.init_options),
    capabilities = opts.capabilities,
    on_attach = opts.on_attach,
    handlers = opts.handlers,
    reuse_client = M.reuse_client(opts),
    -- A function root_dir so a missing git root never blocks attaching.
    root_dir = function(bufnr, on_dir)
      on_dir(M.root_for(bufnr, markers_in_force(markers)))
    end,
  }
end

return M
