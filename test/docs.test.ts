import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { allRules } from '../rules/index.js';
import { DOCS_BASE, docsUrl } from '../src/docs-url.js';
import { REPO } from './support/fixtures.js';

/**
 * Every rule has its page, and every page belongs to a rule: the docs URL in
 * each finding, in SARIF and in the ESLint plugin must never be a 404.
 */
const DOCS = path.join(REPO, 'docs/rules');
const ids = new Set(allRules.map((r) => r.meta.id));
const pages = readdirSync(DOCS)
  .filter((f) => f.endsWith('.md'))
  .map((f) => f.slice(0, -'.md'.length))
  .sort();
const read = (id: string) => readFileSync(path.join(DOCS, `${id}.md`), 'utf8');

describe('rule docs', () => {
  it('every rule has docs/rules/<id>.md', () => {
    expect([...ids].filter((id) => !pages.includes(id))).toEqual([]);
  });

  it('the README rule table has a row for every rule, with its default severity', () => {
    const readme = readFileSync(path.join(REPO, 'README.md'), 'utf8');
    const rows = new Map([...readme.matchAll(/^\| \[([a-z-]+)\]\(docs\/rules\/\1\.md\) \| ([^|]+) \|/gm)].map((m) => [m[1]!, m[2]!.trim()]));
    expect([...ids].filter((id) => !rows.has(id))).toEqual([]);
    for (const rule of allRules) expect(rows.get(rule.meta.id), rule.meta.id).toMatch(new RegExp(`^${rule.meta.defaultSeverity}\\b`));
  });

  it('every page names a rule that exists', () => {
    expect(pages.filter((p) => !ids.has(p))).toEqual([]);
  });

  it('the docs URL points at the page', () => {
    for (const id of ids) {
      expect(docsUrl(id).startsWith(DOCS_BASE)).toBe(true);
      expect(existsSync(path.join(DOCS, docsUrl(id).slice(DOCS_BASE.length)))).toBe(true);
    }
  });

  for (const id of pages.filter((p) => ids.has(p))) {
    describe(id, () => {
      const text = read(id);
      const rule = allRules.find((r) => r.meta.id === id)!;

      it('is titled with the rule id', () => {
        expect(text.split('\n')[0]).toBe(`# ${id}`);
      });

      it('states the default severity and CWE the rule has', () => {
        const severity = /\*\*Default:\*\*\s*(error|warning|off)/.exec(text)?.[1];
        if (severity) expect(severity).toBe(rule.meta.defaultSeverity);
        const cwe = /\*\*CWE:\*\*\s*(\d+)/.exec(text)?.[1];
        if (cwe || rule.meta.cwe) expect(Number(cwe)).toBe(rule.meta.cwe);
      });

      it('links and suppression examples name existing rules only', () => {
        const linked = [...text.matchAll(/\]\(([a-z0-9-]+)\.md(?:#[^)]*)?\)/g)].map((m) => m[1]!);
        const suppressed = [...text.matchAll(/corslint-disable-(?:next-)?line ([a-z0-9, -]+?)(?: --|\s*(?:\*\/|-->|`|$))/gm)].flatMap((m) =>
          m[1]!.split(/[\s,]+/).filter(Boolean),
        );
        // unused-suppression's own page shows a misspelled id on purpose.
        const typos = id === 'unused-suppression' ? ['reflected-orign'] : [];
        expect([...linked, ...suppressed].filter((r) => !ids.has(r) && !typos.includes(r))).toEqual([]);
      });
    });
  }
});
