import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Finding, RelatedLocation, Rule } from '../model/index.js';
import { allRules } from '../../rules/index.js';
import { DOCS_BASE, docsUrl } from '../docs-url.js';
import { packageInfo } from '../package-info.js';

/**
 * SARIF 2.1.0 (OASIS, errata 01), written directly: the subset GitHub code
 * scanning and other SARIF viewers read. Paths are relative to `%SRCROOT%`,
 * the working directory corslint ran in, so the log is the same on every
 * machine that checks out the repository at the same place.
 */

export interface SarifOptions {
  /** Directory the findings' paths are relative to; defaults to process.cwd(). */
  cwd?: string;
  /** Rule registry (tests pass their own); defaults to every corslint rule. */
  rules?: Rule[];
  /** Reads a finding's file for its fingerprint; defaults to the file system. */
  readFile?: (absPath: string) => string | undefined;
}

export const SARIF_SCHEMA_URI = 'https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json';
const SRCROOT = '%SRCROOT%';
/** The repository home, derived from the docs base so a fork changes one place. */
const INFORMATION_URI = DOCS_BASE.replace(/\/blob\/.*$/, '');

export function formatSarif(findings: Finding[], opts: SarifOptions = {}): string {
  const cwd = path.resolve(opts.cwd ?? process.cwd());
  const rules = opts.rules ?? allRules;
  const read = opts.readFile ?? readOrUndefined;
  const index = new Map(rules.map((r, i) => [r.meta.id, i]));
  const fingerprints = fingerprintAll(findings, (file) => read(path.resolve(cwd, file)));

  const log = {
    $schema: SARIF_SCHEMA_URI,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'corslint',
            version: packageInfo().version,
            semanticVersion: packageInfo().version,
            informationUri: INFORMATION_URI,
            rules: rules.map(ruleDescriptor),
          },
        },
        originalUriBaseIds: { [SRCROOT]: { uri: directoryUri(cwd) } },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f, i) => {
          const result: Record<string, unknown> = {
            ruleId: f.ruleId,
            level: f.severity,
            message: { text: f.message },
            locations: [{ physicalLocation: physicalLocation(f) }],
            partialFingerprints: fingerprints[i],
          };
          const ruleIndex = index.get(f.ruleId);
          if (ruleIndex !== undefined) result.ruleIndex = ruleIndex;
          if (f.related?.length) result.relatedLocations = f.related.map(relatedLocation);
          if (f.framework) result.properties = { framework: f.framework };
          return result;
        }),
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

function ruleDescriptor(rule: Rule) {
  const { id, description, defaultSeverity, cwe } = rule.meta;
  const url = docsUrl(id);
  const tags = ['cors'];
  if (cwe !== undefined) tags.unshift('security', `external/cwe/cwe-${cwe}`);
  const descriptor: Record<string, unknown> = {
    id,
    name: pascalCase(id),
    shortDescription: { text: title(id) },
    fullDescription: { text: description },
    helpUri: url,
    help: { text: `${description} See ${url}`, markdown: `${description}\n\n[Rule documentation](${url})` },
    // SARIF has no "off": an off-by-default rule is a disabled warning.
    defaultConfiguration: defaultSeverity === 'off' ? { enabled: false, level: 'warning' } : { level: defaultSeverity },
    properties: { tags, precision: 'high', 'problem.severity': defaultSeverity === 'off' ? 'warning' : defaultSeverity },
  };
  return descriptor;
}

function physicalLocation(at: { file: string; line: number; column: number; endLine?: number; endColumn?: number }) {
  return {
    artifactLocation: { uri: fileUri(at.file), uriBaseId: SRCROOT },
    region: region(at),
  };
}

function relatedLocation(r: RelatedLocation, i: number) {
  return { id: i + 1, physicalLocation: physicalLocation(r), message: { text: r.message } };
}

/**
 * SARIF regions end one column past the last character, like corslint's
 * locations; a region must not end before it starts.
 */
function region(at: { line: number; column: number; endLine?: number; endColumn?: number }) {
  const startLine = Math.max(1, at.line);
  const startColumn = Math.max(1, at.column);
  const endLine = Math.max(startLine, at.endLine ?? startLine);
  const endColumn = Math.max(endLine === startLine ? startColumn : 1, at.endColumn ?? startColumn);
  return { startLine, startColumn, endLine, endColumn };
}

/** A relative URI reference: each path segment percent-encoded, `/` kept. */
function fileUri(displayPath: string): string {
  return displayPath
    .split('/')
    .map((s) => (s === '..' || s === '.' ? s : encodeURIComponent(s)))
    .join('/');
}

function directoryUri(dir: string): string {
  const href = pathToFileURL(dir).href;
  return href.endsWith('/') ? href : `${href}/`;
}

/**
 * Stable identities for code scanning. A finding is identified by its rule,
 * its file, the whitespace-normalized text of the lines it covers and how
 * many identical findings come before it in that file — not by line numbers,
 * so editing other parts of the file does not close and re-open the alert.
 * `primaryLocationLineHash` is the key GitHub matches alerts on; when it is
 * present the upload action does not compute its own.
 */
function fingerprintAll(findings: Finding[], readText: (file: string) => string | undefined): Record<string, string>[] {
  const lines = new Map<string, string[] | undefined>();
  const linesOf = (file: string) => {
    if (!lines.has(file)) lines.set(file, readText(file)?.split(/\r\n|\r|\n/));
    return lines.get(file);
  };
  const seen = new Map<string, number>();
  return findings.map((f) => {
    const text = flaggedText(linesOf(f.file), f);
    const key = [f.ruleId, f.file, text].join('\0');
    const occurrence = (seen.get(key) ?? 0) + 1;
    seen.set(key, occurrence);
    const hash = createHash('sha256').update(`${key}\0${occurrence}`).digest('hex');
    return { 'corslint/v1': hash, primaryLocationLineHash: `${hash.slice(0, 16)}:${occurrence}` };
  });
}

function flaggedText(lines: string[] | undefined, f: Finding): string {
  if (!lines) return '';
  const from = Math.max(1, f.line);
  const to = Math.min(lines.length, Math.max(from, f.endLine));
  return lines
    .slice(from - 1, to)
    .join('\n')
    .replace(/\s+/g, ' ')
    .trim();
}

function readOrUndefined(abs: string): string | undefined {
  try {
    return readFileSync(abs, 'utf8');
  } catch {
    return undefined;
  }
}

function pascalCase(id: string): string {
  return id
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}

const ACRONYMS: Record<string, string> = { cors: 'CORS', nginx: 'nginx', vary: 'Vary', django: 'Django' };

/** "credentialed-reflected-origin" → "Credentialed reflected origin": the short title SARIF viewers show. */
function title(id: string): string {
  const words = id.split('-').map((w) => ACRONYMS[w] ?? w);
  const first = words[0] ?? '';
  words[0] = first === first.toLowerCase() ? first.charAt(0).toUpperCase() + first.slice(1) : first;
  return words.join(' ');
}
