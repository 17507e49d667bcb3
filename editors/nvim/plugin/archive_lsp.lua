-- Loaded automatically at startup when editors/nvim is on 'runtimepath' (or
-- installed by a plugin manager). Its only side effect is the content-based
-- detection of the `archive` filetype (which both ways of starting the server
-- need); the language server starts only after require('archive_lsp').setup() or,
-- on Neovim 0.11+, vim.lsp.enable('archive_lsp') (lsp/archive_lsp.lua).
if vim.g.loaded_archive_lsp then
  return
end
vim.g.loaded_archive_lsp = 1

if vim.g.archive_lsp_no_detect then
  return
end
require('archive_lsp.detect').register()
