#!/usr/bin/env bash
# Rewrites the public API baseline of every shipping project (src/*/PublicAPI.Unshipped.txt) from the code, with the
# PublicApiAnalyzers' own code fix for RS0016 ("symbol is not part of the declared API"). Run it after a deliberate
# change to the public API and review the diff of the PublicAPI files: that diff is the API change.
#
# Nothing has shipped yet, so every member is "unshipped" and the file is rebuilt from scratch. After the first
# release, move the released lines to PublicAPI.Shipped.txt; from then on a removed or changed released member shows
# up as RS0017 and must be marked *REMOVED* in PublicAPI.Unshipped.txt (the code fix for RS0017 does that), which this
# rebuild-from-scratch would lose: add RS0017 to --diagnostics and stop emptying the file then.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

for project in src/*/*.csproj; do
  dir="$(dirname "$project")"
  unshipped="$dir/PublicAPI.Unshipped.txt"
  printf '#nullable enable\n' > "$unshipped"
  [[ -f "$dir/PublicAPI.Shipped.txt" ]] || printf '#nullable enable\n' > "$dir/PublicAPI.Shipped.txt"
  echo "==> $project"
  dotnet format analyzers "$project" --diagnostics RS0016 --severity warn -v q
  # One entry per line in ordinal order after the header, so an API change is a small, stable diff.
  { head -n 1 "$unshipped"; tail -n +2 "$unshipped" | LC_ALL=C sort -u; } > "$unshipped.tmp"
  mv "$unshipped.tmp" "$unshipped"
done
