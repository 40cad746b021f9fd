#!/usr/bin/env node
// Validates a Backstage entity stream (the output of `svc export backstage`)
// with Backstage's own code: the policies the catalog applies to every entity
// it ingests (namespace defaulting, no foreign root fields, field formats, the
// entity envelope schema) and the kind validator of `Component` from
// @backstage/catalog-model. Exits 1 when any entity is invalid, 2 on a usage
// error, so CI fails on the first entity Backstage would refuse.
//
//   node validate.js FILE.yaml   (or - for stdin)

'use strict';

const fs = require('node:fs');
const YAML = require('yaml');
const {
  EntityPolicies,
  DefaultNamespaceEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  FieldFormatEntityPolicy,
  SchemaValidEntityPolicy,
  componentEntityV1alpha1Validator,
  parseEntityRef,
} = require('@backstage/catalog-model');

async function main() {
  const file = process.argv[2];
  if (!file) {
    console.error('usage: node validate.js FILE.yaml (or - for stdin)');
    return 2;
  }
  const text = fs.readFileSync(file === '-' ? 0 : file, 'utf8');
  // The catalog's own policy chain (as in the catalog backend's
  // DefaultCatalogProcessingEngine): defaults first, then the checks.
  const policy = EntityPolicies.allOf([
    new DefaultNamespaceEntityPolicy(),
    new NoForeignRootFieldsEntityPolicy(),
    new FieldFormatEntityPolicy(),
    new SchemaValidEntityPolicy(),
  ]);
  const documents = YAML.parseAllDocuments(text, { prettyErrors: true });
  let invalid = 0;
  let valid = 0;
  const names = new Set();
  for (const [index, document] of documents.entries()) {
    const where = `entity ${index + 1}`;
    if (document.errors.length > 0) {
      console.error(`${where}: not valid YAML: ${document.errors.map(e => e.message).join('; ')}`);
      invalid += 1;
      continue;
    }
    const entity = document.toJS();
    try {
      const checked = await policy.enforce(entity);
      if (!checked) throw new Error('rejected by the entity policies');
      if (entity.kind !== 'Component') throw new Error(`kind is ${entity.kind}, not Component`);
      if ((await componentEntityV1alpha1Validator.check(checked)) !== true) {
        throw new Error('not a Component entity');
      }
      for (const ref of checked.spec.dependsOn ?? []) {
        const parsed = parseEntityRef(ref);
        if (parsed.kind.toLowerCase() !== 'component') throw new Error(`dependsOn ${ref} is not a component`);
      }
      const key = `${checked.metadata.namespace}/${checked.metadata.name}`;
      if (names.has(key)) throw new Error(`two entities are named ${key}`);
      names.add(key);
      valid += 1;
    } catch (error) {
      const name = entity?.metadata?.name ?? '?';
      console.error(`${where} (${name}): ${error.message}`);
      invalid += 1;
    }
  }
  if (documents.length === 0) {
    console.error('no entity in the stream');
  }
  console.log(`${valid} valid, ${invalid} invalid`);
  return invalid > 0 ? 1 : 0;
}

main().then(code => process.exit(code), error => {
  console.error(error.stack ?? String(error));
  process.exit(2);
});
