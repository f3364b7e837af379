#!/usr/bin/env bash
# Installs what the editor end-to-end tests (test/e2e/) need, into .cache/vscode-e2e/ (gitignored):
#   - code-server 4.100.3 from the npm registry: a real VS Code 1.100.3 server with a Node extension host,
#     which runs on this project's Node 20;
#   - the Debian packages its native modules are built against, and Debian's chromium, only if missing.
# The browser driver is the project's own playwright-core (never `playwright`, never a downloaded browser).
#
# Idempotent: a marker file records a finished install; a second run prints "already installed" and exits.
# Needs only the npm registry and Debian apt. Takes about a minute the first time.
#
#   bash scripts/setup-e2e.sh            (FORCE=1 to reinstall)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DEST="$ROOT/.cache/vscode-e2e"
CS_VERSION=4.100.3
MARKER="$DEST/.installed-code-server-$CS_VERSION"

if [ -f "$MARKER" ] && [ -x "$DEST/node_modules/.bin/code-server" ] && [ -x /usr/bin/chromium ] && [ -z "${FORCE:-}" ]; then
  echo "setup-e2e: code-server $CS_VERSION and chromium already installed ($DEST)"
  exit 0
fi

# 1. System packages. Headers for code-server's native modules (kerberos fails without libkrb5-dev;
#    keytar/native-keymap want libsecret/libxkbfile), a C++ toolchain for node-gyp, and the browser.
PKGS="build-essential pkg-config python3 libkrb5-dev libxkbfile-dev libsecret-1-dev libx11-dev chromium"
MISSING=""
for p in $PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || MISSING="$MISSING $p"
done
if [ -n "$MISSING" ]; then
  echo "setup-e2e: installing Debian packages:$MISSING"
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  # Other engineers' scripts may hold the apt/dpkg lock at the same moment: wait for it rather than fail.
  APT_OPTS="-o DPkg::Lock::Timeout=300"
  for attempt in 1 2 3; do
    $SUDO apt-get $APT_OPTS update -q && break
    echo "setup-e2e: apt-get update failed (attempt $attempt); retrying in 10 s"; sleep 10
  done
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get $APT_OPTS install -y -q --no-install-recommends $MISSING
fi

# 2. code-server's postinstall insists on exactly the Node major in its engines.node (20 for 4.100.x).
NODE_MAJOR=$(node -p 'process.versions.node.split(".")[0]')
if [ "$NODE_MAJOR" != 20 ]; then
  echo "setup-e2e: code-server $CS_VERSION needs Node 20, this is Node $NODE_MAJOR" >&2
  exit 1
fi

mkdir -p "$DEST/tmp"
cd "$DEST"
[ -f package.json ] || echo '{"name":"z6-vscode-e2e-host","private":true}' > package.json
export npm_config_unsafe_perm=true   # code-server's postinstall refuses to run as root without it
export npm_config_yes=true           # node-pty's postinstall runs `npx node-gyp`; the global npmrc says yes=false
export npm_config_fund=false npm_config_audit=false npm_config_update_notifier=false
export TMPDIR="$DEST/tmp"            # @vscode/ripgrep keeps its download cache in os.tmpdir(), see step 3

# 3. code-server 4.100.x pins @vscode/ripgrep 1.15.x, whose postinstall downloads rg from GitHub (unreachable
#    here; the failure aborts the whole install). Its downloader first looks in
#    $TMPDIR/vscode-ripgrep-cache-<version>/, so put there the static rg that the npm package
#    @vscode/ripgrep-linux-x64 ships inside its tarball. Versions are read from the tarballs, not guessed.
npm pack "code-server@$CS_VERSION" --silent >/dev/null
RG_VER=$(tar xzOf "code-server-$CS_VERSION.tgz" package/lib/vscode/npm-shrinkwrap.json |
  node -e 'const j=JSON.parse(require("fs").readFileSync(0));const p=j.packages["node_modules/@vscode/ripgrep"];process.stdout.write(p&&p.hasInstallScript?p.version:"")')
if [ -n "$RG_VER" ]; then
  npm pack "@vscode/ripgrep@$RG_VER" --silent >/dev/null
  RG_TAG=$(tar xzOf "vscode-ripgrep-$RG_VER.tgz" package/lib/postinstall.js | sed -nE "s/^const VERSION = '([^']+)'.*/\1/p")
  npm pack @vscode/ripgrep-linux-x64@1.18.0 --silent >/dev/null
  tar xzf vscode-ripgrep-linux-x64-1.18.0.tgz package/bin/rg
  mkdir -p "$TMPDIR/vscode-ripgrep-cache-$RG_VER"
  tar czf "$TMPDIR/vscode-ripgrep-cache-$RG_VER/ripgrep-$RG_TAG-x86_64-unknown-linux-musl.tar.gz" -C package/bin rg
  rm -rf package vscode-ripgrep-*.tgz
  echo "setup-e2e: seeded the ripgrep cache for @vscode/ripgrep@$RG_VER ($RG_TAG)"
fi

# 4. The install itself; postinstall builds node-pty, spdlog, kerberos, argon2... from source (their prebuilt
#    downloads fail offline and they fall back on their own).
npm install "code-server@$CS_VERSION"
rm -f "code-server-$CS_VERSION.tgz"

XDG_CONFIG_HOME="$DEST/tmp" XDG_DATA_HOME="$DEST/tmp" "$DEST/node_modules/.bin/code-server" --version
touch "$MARKER"
echo "setup-e2e: done ($(du -sh "$DEST/node_modules" | cut -f1) in $DEST/node_modules)"
