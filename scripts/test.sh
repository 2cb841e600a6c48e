#!/usr/bin/env bash
# THE test command: installs what the tests need on a fresh Debian machine, builds the solution once,
# runs every test project, and ends with one line of totals: "N passed, N failed".
# Exits non-zero when anything fails to build or any test fails.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*"; }

# --- what the tests need -------------------------------------------------------------------------
if ! command -v dotnet >/dev/null 2>&1; then
  echo "error: the .NET 10 SDK (dotnet) is not on PATH; install it first (see README)." >&2
  exit 1
fi

# Debian packages the tests use: the sqlite3 shell is the "other process" of a SQLite sharing test.
missing=()
command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
# Debian's Chromium for the dashboard's browser tests (Playwright drives it; its own browser download is never run).
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
# The creative solver's sandbox (issue 16): generated code runs only in bwrap; prlimit and setpriv come with util-linux.
command -v bwrap >/dev/null 2>&1 || missing+=(bubblewrap)
if (( ${#missing[@]} > 0 )); then
  if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == 0 ]]; then
    log "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "error: the tests need: ${missing[*]}; install with: sudo apt-get install ${missing[*]}" >&2
    exit 1
  fi
fi

# Test services are installed and started by scripts/test-services.sh when a test needs one
# (for example redis-server); it is a no-op while none is needed.
if [[ -x scripts/test-services.sh ]]; then
  # shellcheck source=/dev/null
  source scripts/test-services.sh
fi

# --- build once --------------------------------------------------------------------------------------
log "restoring and building (Release)"
dotnet build Steadfast.slnx -c Release -nologo -v minimal

# --- run every test project ----------------------------------------------------------------------
results="$repo/artifacts/test-results"
rm -rf "$results"
mkdir -p "$results"

status=0
mapfile -t projects < <(find tests -name '*.Tests.csproj' | sort)
for project in "${projects[@]}"; do
  name="$(basename "$project" .csproj)"
  log "testing $name"
  if ! dotnet test "$project" -c Release --no-build -nologo \
        --logger "trx;LogFileName=$name.trx" --logger "console;verbosity=minimal" \
        --results-directory "$results" --blame-hang-timeout 5m --blame-hang-dump-type none; then
    status=1
  fi
done

# --- totals over all projects (from the TRX files, so one line no matter how many projects) -----
passed=0; failed=0; skipped=0
for trx in "$results"/*.trx; do
  [[ -f "$trx" ]] || continue
  counters="$(grep -o '<Counters [^>]*>' "$trx" | head -n1)"
  get() { sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"; }
  p="$(get passed)"; f="$(get failed)"; t="$(get total)"; e="$(get executed)"
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0}))
  skipped=$((skipped + ${t:-0} - ${e:-0}))
done
if (( ${#projects[@]} == 0 || passed + failed == 0 )); then
  echo "error: no test ran" >&2
  status=1
elif (( status != 0 && failed == 0 )); then
  # A crashed or hung test host (--blame-hang-timeout) leaves no failed test in the TRX files: say so.
  echo "error: a test run was aborted (a crash or a hang); see the blame output above" >&2
fi
echo "${passed} passed, ${failed} failed, ${skipped} skipped"
exit "$status"
