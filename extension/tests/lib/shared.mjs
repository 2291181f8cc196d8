// Test helpers: the shared contract (../shared_schema) loaded into Ajv's draft 2020-12 build.

import { readFileSync, readdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import Ajv2020 from "ajv/dist/2020.js";

export const EXTENSION_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const SCHEMA_DIR = resolve(EXTENSION_DIR, "..", "shared_schema");
export const SCHEMA_BASE = "https://rapport.invalid/schema/";

export const readJson = (path) => JSON.parse(readFileSync(path, "utf8"));

export const schemaFiles = () => readdirSync(SCHEMA_DIR).filter((name) => name.endsWith(".schema.json")).sort();

export const loadSchema = (file) => readJson(join(SCHEMA_DIR, file));

export const loadStagesDoc = () => readJson(join(SCHEMA_DIR, "stages.json"));

/** Ajv with every shared schema added, as strict as the schemas allow. */
export function makeAjv() {
  const ajv = new Ajv2020({
    strict: true, // unknown keywords, ignored keywords, bad numbers and tuples are errors
    allowUnionTypes: true, // ["string", "null"] is used on purpose
    // person-create's anyOf [{"required": ["handle"]}, {"required": ["user_id"]}] names properties
    // defined beside it, which strictRequired cannot see.
    strictRequired: false,
    // scrape-batch's notification.actors is {"$ref": ..., "minItems": 1} without "type": "array"
    // beside minItems; the type comes from the $ref, which strictTypes does not follow.
    strictTypes: false,
    allErrors: true,
  });
  for (const file of schemaFiles()) ajv.addSchema(loadSchema(file));
  return ajv;
}

/** A validate function for shared_schema/<name>.schema.json. */
export function validatorFor(ajv, name) {
  const validate = ajv.getSchema(`${SCHEMA_BASE}${name}.schema.json`);
  if (!validate) throw new Error(`no schema ${name}`);
  return validate;
}

/** The pairing answers' validators a client needs, from the same shared_schema files the build uses. */
export function pairValidators(ajv = makeAjv()) {
  return { pairStarted: validatorFor(ajv, "pair-started"), pairStatus: validatorFor(ajv, "pair-status") };
}
