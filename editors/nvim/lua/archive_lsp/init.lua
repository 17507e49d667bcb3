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
--
-- Neovim 0.11+ without setup(): `vim.lsp.enable('archive_lsp')` reads
-- lsp/archive_lsp.lua, built from the same defaults (archive_lsp.config).

local config = require('archive_lsp.config')

local M = {}

M.name = config.name

--- Defaults of the options (see archive_lsp.config).
--- @type archive_lsp.Options
M.defaults = config.defaults

--- Effective options after setup() (nil before).
--- @type archive_lsp.Options|nil
M.options = nil

--- Root directory of a buffer (see archive_lsp.config.root_for).
M.root_for = config.root_for

--- Settings put under `archiveLsp` (see archive_lsp.config.server_settings).
M.server_settings = config.server_settings

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
  vim.lsp.config(M.name, config.client_config(opts))
  vim.lsp.enable(M.name)
end

-- Untested fallback for Neovim < 0.11 (no vim.lsp.config / vim.lsp.enable).
local function setup_legacy(opts)
  local group = vim.api.nvim_create_augroup('archive_lsp.start', { clear = true })
  local function start(bufnr)
    if vim.bo[bufnr].buftype ~= '' then
      return
    end
    local cfg = config.client_config(opts)
    cfg.name = M.name
    cfg.root_dir = M.root_for(bufnr, opts.root_markers)
    cfg.capabilities = vim.lsp.protocol.make_client_capabilities()
    if opts.capabilities then
      cfg.capabilities = vim.tbl_deep_extend('force', cfg.capabilities, opts.capabilities)
    end
    vim.lsp.start(cfg, { bufnr = bufnr, reuse_client = cfg.reuse_client })
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
M.has_lsp_config = config.has_lsp_config

--- Register the filetype detection and the server (vim.lsp.config + vim.lsp.enable on 0.11+).
--- Calling it is optional on 0.11+, where `vim.lsp.enable('archive_lsp')` alone uses the defaults.
--- @param user_opts archive_lsp.Options|nil
function M.setup(user_opts)
  local opts = config.resolve(user_opts)
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
