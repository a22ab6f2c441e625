#!/usr/bin/env bash
# npm run test:e2e: the real-editor e2e suite (test/e2e/*.e2e.ts) once per
# code-server release of scripts/e2e/code-server-versions (the oldest VS Code
# engines.vscode allows, and the newest release), the same files on each.
#
# Packages the .vsix and compiles the tests once, then for each version:
# prepares code-server and the Node it asks for (cached), and runs the suite
# with CODE_SERVER_VERSION set and its screenshots in test-results/e2e/<version>/.
# A failing version does not stop the next one; the exit status is 1 if any
# failed. Prints the time of every leg, and a summary at the end.
#
# Env:
#   CODE_SERVER_VERSION   run only this version (e.g. while debugging)
#   E2E_FILES             the test files (default: out/test/e2e/*.e2e.js)
# (and those of scripts/e2e/prepare-code-server.sh and test/e2e/harness.ts)
set -uo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD

mapfile -t LISTED < <(grep -v '^\s*#' scripts/e2e/code-server-versions | grep -Eo '^[0-9][0-9.]*')
if [[ -n "${CODE_SERVER_VERSION:-}" ]]; then VERSIONS=("$CODE_SERVER_VERSION"); else VERSIONS=("${LISTED[@]}"); fi
(( ${#VERSIONS[@]} )) || { echo "[e2e] no code-server version listed in scripts/e2e/code-server-versions" >&2; exit 1; }

SUMMARY=()
FAILED=0
leg() { # leg NAME COMMAND...: runs it, prints and records its time
  local name=$1 start=$SECONDS rc
  shift
  echo "[e2e] --- $name"
  "$@"
  rc=$?
  local line
  line=$(printf '%-44s %5d s  %s' "$name" "$((SECONDS - start))" "$( ((rc == 0)) && echo ok || echo "FAILED (exit $rc)")")
  echo "[e2e] $line"
  SUMMARY+=("$line")
  return $rc
}

# A newer code-server than the list's newest: said, not failed (the list is a reviewed choice).
newest_listed=${LISTED[-1]}
if latest=$(npm view code-server version 2>/dev/null) && [[ -n "$latest" ]]; then
  if [[ "$(printf '%s\n%s\n' "$newest_listed" "$latest" | sort -V | tail -1)" != "$newest_listed" ]]; then
    echo "[e2e] NOTE: the npm registry has code-server $latest, newer than $newest_listed (scripts/e2e/code-server-versions): add it there to test it"
  else
    echo "[e2e] code-server $newest_listed is the newest in the npm registry"
  fi
else
  echo "[e2e] NOTE: could not ask the npm registry for the newest code-server (npm view code-server version failed)"
fi

leg "package the .vsix and compile the tests" bash -c 'npm run --silent package && npx tsc -p .' || exit 1

# engines.vscode's minimum is the oldest VS Code the suite proves: the first listed release must be that VS Code.
ENGINE_MIN=$(node -p "require('./package.json').engines.vscode.replace(/^\\^/, '').split('.').slice(0, 2).join('.')")

for version in "${VERSIONS[@]}"; do
  # (The script prints the prepared folder on stdout; its progress goes to stderr.)
  if ! leg "prepare code-server $version" env CODE_SERVER_VERSION="$version" bash -c 'bash scripts/e2e/prepare-code-server.sh >/dev/null'; then
    FAILED=1
    continue
  fi
  dir="${CODE_SERVER_CACHE:-$HOME/.cache/coupon-series-e2e}/code-server-$version"
  vscode=$(node -p "require('$dir/node_modules/code-server/lib/vscode/package.json').version")
  node_version=$("$(cat "$dir/.node")/bin/node" --version)
  echo "[e2e] code-server $version is VS Code $vscode, run on Node $node_version"
  if [[ "$version" == "${LISTED[0]}" && "${vscode%.*}" != "$ENGINE_MIN" ]]; then
    echo "[e2e] ERROR: engines.vscode allows VS Code $ENGINE_MIN, but the oldest listed code-server ($version) is VS Code $vscode: list the release of VS Code $ENGINE_MIN first" >&2
    FAILED=1
  fi
  log="$ROOT/test-results/e2e/$version/run.log"
  mkdir -p "$(dirname "$log")"
  # shellcheck disable=SC2086
  if ! leg "e2e suite on code-server $version (VS Code $vscode)" \
    env CODE_SERVER_VERSION="$version" E2E_RESULTS_DIR="$ROOT/test-results/e2e/$version" \
    bash -c 'node --test --test-reporter=spec ${E2E_FILES:-out/test/e2e/*.e2e.js} 2>&1 | tee "$0"; exit "${PIPESTATUS[0]}"' "$log"; then
    FAILED=1
  fi
  counts=$(grep -E '^ℹ (tests|pass|fail|skipped|cancelled) ' "$log" | sed 's/^ℹ //' | tr '\n' ' ')
  SUMMARY+=("    VS Code $vscode: $counts")
  # A skipped check (the spec reporter marks it "﹣ name # reason") is listed with its reason.
  mapfile -t skipped < <(grep -E '^\s*﹣ ' "$log" | sed -E 's/^\s*﹣ //')
  for line in "${skipped[@]}"; do SUMMARY+=("    skipped on $version: $line"); done
done

echo ""
echo "[e2e] summary (time of each leg):"
printf '[e2e]   %s\n' "${SUMMARY[@]}"
exit $FAILED
