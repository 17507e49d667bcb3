-- Buffer options for archive documents: every paragraph is one (often very
-- long) physical line, so wrap it at word boundaries with its indent kept.
if vim.b.did_ftplugin then
  return
end
vim.b.did_ftplugin = 1

vim.opt_local.wrap = true
vim.opt_local.linebreak = true
vim.opt_local.breakindent = true
vim.b.undo_ftplugin = 'setlocal wrap< linebreak< breakindent<'
