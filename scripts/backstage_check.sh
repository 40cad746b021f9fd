#!/usr/bin/env bash
# Validates `svc export backstage` with Backstage's own entity validation
# (scripts/backstage: @backstage/catalog-model's entity policies and Component
# validator, installed by `npm ci`), on examples/acme and on a repo made of
# awkward names and titles; checks that the awkward titles read back unchanged
# and that the lifecycle mapping holds for every stage; and, so a validator
# that passes everything cannot hide, that one broken entity is refused.
#
#   scripts/backstage_check.sh PATH_TO_SVC
set -euo pipefail
svc=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
validate="$here/backstage/validate.js"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "acme:"
"$svc" --repo "$here/../examples/acme" export backstage > "$work/acme.yaml"
node "$validate" "$work/acme.yaml"

# A repo whose services carry every kind of YAML-hostile text, a name too long
# for Backstage, and one service in each default stage.
repo="$work/awkward"
mkdir -p "$repo/services"
printf '[repo]\nname = "awkward"\n' > "$repo/svc.toml"
long=$(printf 'very-long-service-name-%.0s' 1 2 3 4)end
stages=(proposed planning design development testing operational deprecated retired)
titles=('Payments: EU #2' 'yes' 'null' '- dash first' "It's \"quoted\"" '12:30' '@at [x] {y}, z' 'Zahlungen – 名前 ✓')
for i in "${!stages[@]}"; do
  stage=${stages[$i]}
  id="svc-$stage"
  [ "$i" = 0 ] && id=$long
  title=${titles[$i]}
  # The title is written as a YAML double-quoted scalar in the record itself.
  escaped=${title//\\/\\\\}
  escaped=${escaped//\"/\\\"}
  extra=""
  [ "$stage" = retired ] && extra=$'retirement:\n  reason: other\n  data: { backup: "s3://b/x" }\n'
  cat > "$repo/services/$id.yaml" <<YAML
kind: Service
id: $id
name: "$escaped"
description: "Line one: with # hash\nline two"
owner: team-a
depends_on: [$long]
contacts: { oncall: a@example.com }
links:
  runbook: "https://example.com/run?x=1#frag"
  dashboard: https://example.com/d
lifecycle:
  stage: $stage
  history:
    - { stage: $stage, at: 2026-01-01T00:00:00Z, by: a@example.com }
$extra
YAML
done
sed -i "s/depends_on: \[$long\]/depends_on: []/" "$repo/services/$long.yaml"
"$svc" --repo "$repo" export backstage > "$work/awkward.yaml"
echo "awkward names and titles:"
node "$validate" "$work/awkward.yaml"
(cd "$here/backstage" && node - "$work/awkward.yaml" "$long" "${titles[@]}") <<'JS'
const fs = require('node:fs');
const YAML = require('yaml');
const [file, long, ...titles] = process.argv.slice(2);
const entities = YAML.parseAllDocuments(fs.readFileSync(file, 'utf8')).map(d => d.toJS());
const expected = {
  proposed: 'experimental', planning: 'experimental', design: 'experimental',
  development: 'experimental', testing: 'experimental', operational: 'production',
  deprecated: 'deprecated', retired: 'deprecated',
};
const stages = Object.keys(expected);
const failures = [];
for (const [i, stage] of stages.entries()) {
  const id = i === 0 ? long : `svc-${stage}`;
  const entity = entities.find(e => e.metadata.annotations['svc/id'] === id);
  if (!entity) { failures.push(`${id}: no entity`); continue; }
  if (entity.metadata.title !== titles[i]) failures.push(`${id}: title ${JSON.stringify(entity.metadata.title)}, expected ${JSON.stringify(titles[i])}`);
  if (entity.spec.lifecycle !== expected[stage]) failures.push(`${id}: lifecycle ${entity.spec.lifecycle}, expected ${expected[stage]}`);
  if (entity.metadata.description !== 'Line one: with # hash\nline two') failures.push(`${id}: description ${JSON.stringify(entity.metadata.description)}`);
  if (entity.metadata.links[0].url !== 'https://example.com/run?x=1#frag') failures.push(`${id}: link ${entity.metadata.links[0].url}`);
  if (i > 0 && entity.spec.dependsOn?.[0] !== `component:${entities.find(e => e.metadata.annotations['svc/id'] === long).metadata.name}`) failures.push(`${id}: dependsOn ${entity.spec.dependsOn}`);
}
for (const f of failures) console.error(`FAIL ${f}`);
console.log(`${stages.length - failures.length} passed, ${failures.length} failed`);
process.exit(failures.length ? 1 : 0);
JS

echo "a broken entity (must be refused):"
sed '0,/  name: .*/s//  name: "not a valid name!"/' "$work/acme.yaml" > "$work/broken.yaml"
if node "$validate" "$work/broken.yaml"; then
  echo "FAIL the validator accepted an entity with an invalid metadata.name" >&2
  exit 1
fi
echo "refused, as it should be"
