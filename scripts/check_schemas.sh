#!/usr/bin/env bash
# The JSON Schemas of `svc schema`, checked by an implementation independent of
# svc: Python's check-jsonschema, on the YAML and TOML files themselves as teams
# run it in pre-commit. Every clean record validates against its folder's
# schema and the any-kind schema; every file of the wrong-file corpus is
# rejected by its folder's schema (and, in src/schema/tests.rs, by svc check).
# Usage: scripts/check_schemas.sh path/to/svc
set -euo pipefail
svc=$(realpath "$1")
cd "$(dirname "$0")/.."
schemas=$(mktemp -d)
trap 'rm -rf "$schemas"' EXIT
"$svc" -q schema --output "$schemas"

schema_of() { # folder -> schema file
  case "$1" in
    services) echo service.schema.json ;;
    policies) echo sla-policy.schema.json ;;
    calendars) echo calendar.schema.json ;;
    incidents) echo incident.schema.json ;;
    changes) echo change.schema.json ;;
    problems) echo problem.schema.json ;;
    *) echo "no schema for folder $1" >&2; exit 1 ;;
  esac
}

repos=(examples/acme tests/fixtures/base tests/fixtures/schema/valid)
checked=0
for folder in services policies calendars incidents changes problems; do
  mapfile -t files < <(for repo in "${repos[@]}"; do
    [ -d "$repo/$folder" ] && find "$repo/$folder" -name '*.yaml'; done | sort)
  [ "${#files[@]}" -gt 0 ] || continue
  check-jsonschema --schemafile "$schemas/$(schema_of "$folder")" "${files[@]}" >/dev/null
  check-jsonschema --schemafile "$schemas/record.schema.json" "${files[@]}" >/dev/null
  checked=$((checked + ${#files[@]}))
done
for repo in "${repos[@]}"; do
  check-jsonschema --schemafile "$schemas/svc-toml.schema.json" "$repo/svc.toml" >/dev/null
done

rejected=0
for folder in services policies calendars incidents changes problems; do
  mapfile -t files < <(find "tests/fixtures/schema/invalid/$folder" -name '*.yaml' | sort)
  # Every file must be named among the errors: one invocation per folder.
  check-jsonschema -o json --schemafile "$schemas/$(schema_of "$folder")" "${files[@]}" \
    > "$schemas/result.json" || true
  python3 - "$schemas/result.json" "${files[@]}" <<'PY'
import json, sys
result = json.load(open(sys.argv[1]))
failed = {e["filename"] for e in result["errors"]} | {e["filename"] for e in result["parse_errors"]}
accepted = [f for f in sys.argv[2:] if f not in failed]
if accepted:
    sys.exit("check-jsonschema accepts what svc check rejects: " + ", ".join(accepted))
PY
  rejected=$((rejected + ${#files[@]}))
done

echo "schemas: $checked clean records valid, $rejected wrong files rejected (check-jsonschema)"
