-- Neovim 0.11's `lsp/` convention: with editors/nvim on 'runtimepath',
--
--   vim.lsp.enable('archive_lsp')
--
-- starts archive-lsp (found on PATH) on archive documents, no setup() needed. Neovim
-- loads this file when it resolves vim.lsp.config['archive_lsp'], below any
-- vim.lsp.config('archive_lsp', { … }) of the user's (and of setup()). The table comes
-- from the defaults setup() uses (archive_lsp.config), so the two cannot drift.
local config = require('archive_lsp.config')
return config.client_config(config.resolve())
