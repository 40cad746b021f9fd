#!/usr/bin/env bash
# The recipes of docs/ci.md, for real where the tool exists here:
# - pre-commit: a service repo whose .pre-commit-config.yaml uses this
#   repository's .pre-commit-hooks.yaml (hook svc-check-system, the svc under
#   test on PATH) passes on a clean repo and fails on a broken record;
# - the GitHub Actions workflows and the .gitlab-ci.yml of docs/ci.md validate
#   against check-jsonschema's bundled schemas of those formats.
# Usage: scripts/ci_recipes.sh path/to/svc
set -euo pipefail
svc=$(realpath "$1")
project=$(realpath "$(dirname "$0")/..")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export PATH="$(dirname "$svc"):$PATH"
git_() { git -c user.name=CI -c user.email=ci@example.com -c commit.gpgsign=false "$@"; }

# The hook repository: this project as committed, plus its working-tree hook
# manifest (pre-commit clones a repository at a revision).
hooks="$work/hooks"
git_ clone -q "$project" "$hooks"
cp "$project/.pre-commit-hooks.yaml" "$hooks/.pre-commit-hooks.yaml"
git_ -C "$hooks" add .pre-commit-hooks.yaml
git_ -C "$hooks" commit -q --allow-empty -m "hooks under test"
rev=$(git -C "$hooks" rev-parse HEAD)
pre-commit validate-manifest "$hooks/.pre-commit-hooks.yaml"

repo="$work/service-repo"
cp -r "$project/examples/acme" "$repo"
cat > "$repo/.pre-commit-config.yaml" <<YAML
repos:
  - repo: $hooks
    rev: $rev
    hooks:
      - id: svc-check-system
YAML
pre-commit validate-config "$repo/.pre-commit-config.yaml"
git_ -C "$repo" init -q -b main
git_ -C "$repo" add -A
export PRE_COMMIT_HOME="$work/pre-commit-home"
# svc checks against the real clock; acme has no timestamps after 2026.
(cd "$repo" && pre-commit run --all-files) > "$work/clean.log" 2>&1 || {
  cat "$work/clean.log"; echo "pre-commit failed on the clean example repo" >&2; exit 1; }
sed -i 's/^owner: team-payments/ownr: team-payments/' "$repo/services/payments-api.yaml"
git_ -C "$repo" add -A
if (cd "$repo" && pre-commit run --all-files) > "$work/broken.log" 2>&1; then
  cat "$work/broken.log"; echo "pre-commit passed a broken record" >&2; exit 1
fi
grep -q "unknown field \`ownr\`" "$work/broken.log" || {
  cat "$work/broken.log"; echo "the hook did not report the broken record" >&2; exit 1; }

# The YAML recipes of docs/ci.md, each against its format's schema.
python3 - "$project/docs/ci.md" "$work" <<'PY'
import re, sys
text = open(sys.argv[1]).read()
for name in ("svc.yml", "review.yml", ".gitlab-ci.yml"):
    pattern = re.escape("`" + ("" if name.startswith(".") else ".github/workflows/") + name + "`") + r":\n\n```yaml\n(.*?)```"
    found = re.search(pattern, text, re.S)
    if not found:
        sys.exit(f"docs/ci.md has no {name} recipe")
    open(f"{sys.argv[2]}/{name.lstrip('.')}", "w").write(found.group(1))
PY
check-jsonschema --builtin-schema vendor.github-workflows "$work/svc.yml" "$work/review.yml" >/dev/null
check-jsonschema --builtin-schema vendor.gitlab-ci "$work/gitlab-ci.yml" >/dev/null
echo "ci recipes: pre-commit hook passes a clean repo and fails a broken one; GitHub and GitLab recipes valid"
