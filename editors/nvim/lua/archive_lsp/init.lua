-- archive-lsp for Neovim: filetype `archive` + the archive-lsp language server.
--
--   require('archive_lsp').setup({
--     cmd = { 'archive-lsp' },   -- server command (default: `archive-lsp` on PATH)
--     settings = {               -- workspace/configuration (section archiveLsp) and
--       rules = { indentation = 'off' },   -- workspace/didChangeConfiguration; the
--       review = { ['length-ratio-low'] = 0.3 }, -- keys of archive-lsp.toml
--     },
--   })
--
-- Neovim 0.11+: registers the server with vim.lsp.config() and vim.lsp.enable().
-- Older Neovim (0.9/0.10): starts it with vim.lsp.start() from a FileType
-- autocommand (this path is not covered by the tests).

local M = {}

M.name = 'archive_lsp'

--- @class archive_lsp.Options
--- @field cmd? string[] server command; default { 'archive-lsp' }
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

--- Effective options after setup() (nil before).
--- @type archive_lsp.Options|nil
M.options = nil

--- Root directory of a buffer: the nearest parent with a root marker, else the
--- file's own directory, else the current directory (unnamed buffer).
--- @param bufnr integer
--- @param markers string[]
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

local function reuse_client(opts)
  if opts.single_server then
    return function(client, config)
      local stopped = client.is_stopped and client:is_stopped() or false
      return client.name == config.name and not stopped
    end
  end
  return nil -- Neovim's default: one client per root
end

--- Re-run detection for buffers opened before setup() (e.g. from `nvim file.md`
--- with setup() in a plugin loaded later).
local function redetect_open_buffers()
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.bo[buf].buftype == '' then
      local ft = vim.bo[buf].filetype
      local name = vim.api.nvim_buf_get_name(buf)
      if ft ~= 'archive' and (name:match('%.txt$') or name:match('%.md$')) then
        local ext = name:match('%.txt$') and 'txt' or 'md'
        if require('archive_lsp.detect').matcher(ext)(name, buf) == 'archive' then
          vim.bo[buf].filetype = 'archive'
        end
      end
    end
  end
end

local function setup_modern(opts)
  local config = {
    cmd = opts.cmd,
    filetypes = opts.filetypes,
    settings = opts.settings,
    init_options = opts.init_options,
    capabilities = opts.capabilities,
    on_attach = opts.on_attach,
    handlers = opts.handlers,
    reuse_client = reuse_client(opts),
    -- A function root_dir so a missing git root never blocks attaching.
    root_dir = function(bufnr, on_dir)
      on_dir(M.root_for(bufnr, opts.root_markers))
    end,
  }
  vim.lsp.config(M.name, config)
  vim.lsp.enable(M.name)
end

-- Untested fallback for Neovim < 0.11 (no vim.lsp.config / vim.lsp.enable).
local function setup_legacy(opts)
  local group = vim.api.nvim_create_augroup('archive_lsp.start', { clear = true })
  local function start(bufnr)
    if vim.bo[bufnr].buftype ~= '' then
      return
    end
    local capabilities = vim.lsp.protocol.make_client_capabilities()
    if opts.capabilities then
      capabilities = vim.tbl_deep_extend('force', capabilities, opts.capabilities)
    end
    vim.lsp.start({
      name = M.name,
      cmd = opts.cmd,
      root_dir = M.root_for(bufnr, opts.root_markers),
      settings = opts.settings,
      init_options = opts.init_options,
      capabilities = capabilities,
      on_attach = opts.on_attach,
      handlers = opts.handlers,
    }, { bufnr = bufnr, reuse_client = reuse_client(opts) })
  end
  vim.api.nvim_create_autocmd('FileType', {
    group = group,
    pattern = opts.filetypes,
    callback = function(args)
      start(args.buf)
    end,
  })
  for _, buf in ipairs(vim.api.nvim_list_bufs()) do
    if vim.api.nvim_buf_is_loaded(buf) and vim.tbl_contains(opts.filetypes, vim.bo[buf].filetype) then
      start(buf)
    end
  end
end

--- True when this Neovim has vim.lsp.config + vim.lsp.enable (0.11+).
function M.has_lsp_config()
  return vim.fn.has('nvim-0.11') == 1 and type(vim.lsp.config) ~= 'nil' and type(vim.lsp.enable) == 'function'
end

--- @param user_opts archive_lsp.Options|nil
function M.setup(user_opts)
  local opts = vim.tbl_deep_extend('force', vim.deepcopy(M.defaults), user_opts or {})
  if user_opts and user_opts.cmd then
    opts.cmd = user_opts.cmd -- a list replaces, never merges index by index
  end
  if user_opts and user_opts.root_markers then
    opts.root_markers = user_opts.root_markers
  end
  if type(opts.cmd) == 'string' then
    opts.cmd = { opts.cmd }
  end
  opts.settings = M.server_settings(opts.settings)
  M.options = opts

  if opts.detect then
    require('archive_lsp.detect').register()
    redetect_open_buffers()
  end

  if M.has_lsp_config() then
    setup_modern(opts)
  else
    setup_legacy(opts)
  end
  return M
end

return M
