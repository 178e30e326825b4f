import { describe, expect, it } from 'vitest';
import { extractFromProgram, parseProgram } from '../../src/extractors/express/index.js';
import type { OriginEntry, Policy } from '../../src/model/index.js';

/** Custom origin checks in Express code become OriginEntry `check`s the probes run through. */
const PRELUDE = "const express = require('express');\nconst cors = require('cors');\nconst app = express();\n";

function policyOf(src: string): Policy {
  const file = 'app.js';
  const r = extractFromProgram(parseProgram(PRELUDE + src, file), file, () => undefined, { text: PRELUDE + src });
  expect(r.policies).toHaveLength(1);
  return r.policies[0]!;
}

const entries = (p: Policy) => (p.origins.known ? p.origins.value.map(({ loc: _loc, ...rest }) => rest) : p.origins);
const originFn = (body: string) => policyOf(`app.use(cors({ origin: ${body}, credentials: true }));`);

describe('express: custom string checks', () => {
  it('reads startsWith / endsWith / includes on the Origin as checks', () => {
    expect(entries(originFn("(origin, cb) => cb(null, origin.endsWith('.example.com'))"))).toEqual([
      { kind: 'check', test: { op: 'endsWith', value: '.example.com' }, description: "origin.endsWith('.example.com')" },
    ]);
    expect(entries(originFn("(origin, cb) => cb(null, origin.startsWith('https://app.example.com'))"))).toEqual([
      { kind: 'check', test: { op: 'startsWith', value: 'https://app.example.com' }, description: "origin.startsWith('https://app.example.com')" },
    ]);
    expect(entries(originFn("(origin, cb) => cb(null, origin.includes('example.com'))"))).toEqual([
      { kind: 'check', test: { op: 'includes', value: 'example.com' }, description: "origin.includes('example.com')" },
    ]);
  });

  it('reads indexOf comparisons as substring or prefix tests', () => {
    const includes = (cond: string) => entries(originFn(`(origin, cb) => cb(null, ${cond})`));
    for (const cond of ["origin.indexOf('example.com') !== -1", "origin.indexOf('example.com') > -1", "origin.indexOf('example.com') >= 0", "-1 < origin.indexOf('example.com')"]) {
      expect(includes(cond), cond).toEqual([{ kind: 'check', test: { op: 'includes', value: 'example.com' }, description: cond }]);
    }
    expect(includes("origin.indexOf('https://app.example.com') === 0")).toEqual([
      { kind: 'check', test: { op: 'startsWith', value: 'https://app.example.com' }, description: "origin.indexOf('https://app.example.com') === 0" },
    ]);
  });

  it('combines checks with the exact origins of the same function', () => {
    const p = originFn("(origin, cb) => { if (origin === 'https://partner.example.net' || origin.endsWith('.example.com')) return cb(null, true); cb(new Error('no')); }");
    expect(entries(p)).toEqual([
      { kind: 'exact', origin: 'https://partner.example.net' },
      { kind: 'check', test: { op: 'endsWith', value: '.example.com' }, description: "origin.endsWith('.example.com')" },
    ]);
  });

  it('reads the guard around hand-written headers the same way', () => {
    const p = policyOf(
      "app.use((req, res, next) => {\n  const origin = req.headers.origin;\n  if (origin && origin.endsWith('example.com')) res.setHeader('Access-Control-Allow-Origin', origin);\n  next();\n});",
    );
    expect((p.origins.known ? p.origins.value : []).map((e: OriginEntry) => e.kind)).toEqual(['check']);
  });

  it('still gives up on what it cannot read', () => {
    const p = originFn("(origin, cb) => cb(null, origin.endsWith(suffixFromDb()))");
    expect(p.origins.known && p.origins.value[0]!.kind).toBe('predicate');
  });
});
