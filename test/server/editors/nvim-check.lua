-- Headless check of the Neovim setup in docs/editors.md (run by run.sh), in the form Neovim 0.7 accepts.
vim.g.do_filetype_lua = 1 -- Neovim 0.7 only: Lua filetype detection is opt-in there
vim.filetype.add({ pattern = { ['.*%.z6%.toml'] = 'z6' } })
local out = {}
vim.api.nvim_create_autocmd('FileType', {
  pattern = 'z6',
  callback = function(args)
    vim.bo[args.buf].syntax = 'toml'
    -- Neovim 0.7 (Debian 12) has no vim.lsp.start: start_client + buf_attach_client is its equivalent.
    local id = vim.lsp.start_client({ name = 'z6', cmd = { 'z6-language-server', '--stdio' }, root_dir = vim.fn.getcwd() })
    vim.lsp.buf_attach_client(args.buf, id)
  end,
})
vim.cmd('filetype on')
vim.cmd('edit ' .. os.getenv('Z6_SCENARIO'))
table.insert(out, 'filetype=' .. vim.bo.filetype)
vim.wait(10000, function() return #vim.diagnostic.get(0) > 0 end, 100)
for _, d in ipairs(vim.diagnostic.get(0)) do table.insert(out, string.format('diag %d:%d %s', d.lnum, d.col, d.message)) end
local client = vim.lsp.get_active_clients()[1]
local res = client.request_sync('textDocument/completion', { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 9, character = 0 } }, 5000, 0)
local labels = {}
for i, item in ipairs(res.result or {}) do if i <= 6 then table.insert(labels, item.label) end end
table.insert(out, 'completion: ' .. table.concat(labels, ','))
local hints = client.request_sync('textDocument/hover', { textDocument = { uri = vim.uri_from_bufnr(0) }, position = { line = 7, character = 1 } }, 5000, 0)
table.insert(out, 'hover: ' .. (hints.result and hints.result.contents.value:sub(1, 40) or 'nil'))
io.stdout:write(table.concat(out, '\n') .. '\n')
vim.cmd('qa!')
