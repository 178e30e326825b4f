import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import { REPO } from './fixtures.js';

/**
 * A validator for the official SARIF 2.1.0 schema (errata 01) shipped in
 * test/schemas. That schema is draft-04: its only keyword Ajv 8 reads
 * differently is `id` (a base URI, unused since every `$ref` is local), and
 * its formats are checked here with the URL parser instead of ajv-formats.
 */
export function sarifValidator(): ValidateFunction {
  const schema = JSON.parse(readFileSync(path.join(REPO, 'test/schemas/sarif-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  const ajv = new Ajv({ allErrors: true, validateSchema: false });
  ajv.removeKeyword('id');
  ajv.addKeyword({ keyword: 'id', schemaType: 'string' });
  ajv.addFormat('uri', (s: string) => URL.canParse(s));
  ajv.addFormat('uri-reference', (s: string) => URL.canParse(s, 'file:///base/') && !/[\s\\]/.test(s));
  ajv.addFormat('date-time', (s: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(s));
  return ajv.compile(schema);
}
