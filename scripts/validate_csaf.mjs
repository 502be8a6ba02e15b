#!/usr/bin/env node
// Validates CSAF 2.0 documents with the BSI/secvisogram csaf-validator-lib (npm
// @secvisogram/csaf-validator-lib): the strict schema, every mandatory test, and the
// optional tests. Usage: CSAF_VALIDATOR_LIB=DIR node validate_csaf.mjs FILE...
// Prints one JSON line per file: {file, isValid, errors, warnings} (warnings are the
// optional tests' findings); exits 1 when a file has an error or a warning.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

const lib = process.env.CSAF_VALIDATOR_LIB ??
  '/opt/riskmark-ref/csaf/node_modules/@secvisogram/csaf-validator-lib'
const load = (m) => import(pathToFileURL(join(lib, m)).href)
const validateStrict = (await load('validateStrict.js')).default
const schema = await load('schemaTests.js')
const mandatory = await load('mandatoryTests.js')
const optional = await load('optionalTests.js')

// 6.1.8 (the JSON schema again, which needs the network for $refs) is covered by the
// strict schema test; 6.2.x spell and URL checks that need a network or hunspell are not
// in the exported optional tests.
const tests = [schema.csaf_2_0_strict, ...Object.values(mandatory), ...Object.values(optional)]

let bad = 0
for (const file of process.argv.slice(2)) {
  const doc = JSON.parse(readFileSync(file, 'utf8'))
  const r = await validateStrict(tests, doc)
  const errors = r.tests.flatMap((t) => t.errors.map((e) => `${t.name}: ${e.instancePath} ${e.message}`))
  const warnings = r.tests.flatMap((t) => t.warnings.map((e) => `${t.name}: ${e.instancePath} ${e.message}`))
  console.log(JSON.stringify({ file, isValid: r.isValid, errors, warnings }))
  if (errors.length || warnings.length || !r.isValid) bad++
}
// exitCode, not exit(): exit() would cut what is still buffered for a pipe.
process.exitCode = bad ? 1 : 0
