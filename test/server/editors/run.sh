#!/bin/sh
# Manual check that the editor setups in docs/editors.md work against the real server:
# Emacs + Eglot and Neovim, headless, each opening scenario.z6.toml (one wrong method) and printing
# the diagnostics, completions and hover they received. Needs `npm run build` and
# `apt-get install emacs-nox elpa-eglot neovim`. Not part of `npm test` (needs those editors).
set -e
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../.." && pwd)
bin=$(mktemp -d)
trap 'rm -rf "$bin"' EXIT
# What `npm link` would put on PATH.
ln -s "$root/bin/z6-language-server.js" "$bin/z6-language-server"
export PATH="$bin:$PATH" Z6_SCENARIO="$here/scenario.z6.toml"
if command -v emacs >/dev/null; then
  echo "== Emacs $(emacs --version | head -1 | cut -d' ' -f3) + Eglot"
  timeout 90 emacs --batch -Q -l "$here/eglot-check.el" 2>&1 | grep -E '^(MODE|SERVER|DIAGNOSTICS|COMPLETIONS)' | cut -c1-200
fi
if command -v nvim >/dev/null; then
  echo "== $(nvim --version | head -1)"
  timeout 60 nvim --headless --clean -u "$here/nvim-check.lua" 2>&1 | cut -c1-200
fi
