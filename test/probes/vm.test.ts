import { RegExpParser } from '@eslint-community/regexpp';
import { describe, expect, it } from 'vitest';
import { backtrackingRisk, compileOriginRegex } from '../../src/probes/index.js';
import { PikeProgram } from '../../src/probes/regex/vm.js';

const parser = new RegExpParser({ ecmaVersion: 2025 });
const program = (source: string, flags = '') =>
  PikeProgram.compile(parser.parsePattern(source, 0, source.length, { unicode: flags.includes('u') }), {
    ignoreCase: flags.includes('i'),
    multiline: flags.includes('m'),
    dotAll: flags.includes('s'),
    unicode: flags.includes('u'),
  });

/** Patterns from real CORS configurations and the corner cases of the simulation. */
const PATTERNS: [string, string][] = [
  ['example\\.com$', ''],
  ['^https://([a-z0-9-]+\\.)*example\\.com$', ''],
  ['^https?://(www|app|admin)\\.example\\.(com|org)(:\\d{2,5})?$', ''],
  ['^https://[^.]+\\.example\\.com', ''],
  ['^HTTPS://APP\\.EXAMPLE\\.COM$', 'i'],
  ['\\bexample\\b', ''],
  ['\\Bxample', ''],
  ['^(a*)*$', ''],
  ['^$', ''],
  ['a{2,3}b', ''],
  ['(?:)', ''],
  ['^.*$', 's'],
  ['^line$', 'm'],
  ['^[\\w.-]+$', ''],
  ['[^\\s]+\\.example\\.com$', ''],
  ['^\\p{L}+$', 'u'],
];

const INPUTS = [
  '',
  'https://example.com',
  'https://evilexample.com',
  'https://app.example.com',
  'https://app.example.com.evil.example',
  'https://APP.example.com',
  'http://www.example.org:8080',
  'https://a.b.example.com',
  'null',
  'aaaa',
  'aab',
  'xample example',
  'first\nline\nlast',
  'héllo',
];

describe('NFA simulation agrees with the native engine', () => {
  for (const [source, flags] of PATTERNS) {
    it(`/${source}/${flags}`, () => {
      const prog = program(source, flags);
      const native = new RegExp(source, flags);
      for (const input of INPUTS) expect(prog.test(input), JSON.stringify(input)).toBe(native.test(input));
    });
  }
});

describe('NFA simulation extras', () => {
  it('scopes (?i:...) modifiers, which Node 20 cannot run natively', () => {
    const prog = program('^https://(?i:APP)\\.example\\.com$');
    expect(prog.test('https://app.example.com')).toBe(true);
    expect(prog.test('https://ApP.example.com')).toBe(true);
    expect(prog.test('https://app.EXAMPLE.com')).toBe(false);
    expect(program('^(?-i:a)b$', 'i').test('aB')).toBe(true);
    expect(program('^(?-i:a)b$', 'i').test('Ab')).toBe(false);
  });
});

describe('catastrophic backtracking guard', () => {
  const evil = `${'a'.repeat(40)}!`;

  it('runs exponential patterns in linear time', () => {
    for (const source of ['^(a+)+$', '^(a|a)*$', '^(a|aa)+$', '^(\\w+\\.?)+$', '^(([a-z])+.)+[A-Z]([a-z])+$']) {
      const c = compileOriginRegex(source, '', 'js');
      expect(c.ok && c.regex.engine).toBe('nfa');
      const started = performance.now();
      expect(c.ok && c.regex.test(evil)).toBe(false);
      expect(performance.now() - started).toBeLessThan(200);
    }
  });

  it('flags nested quantifiers and repeated alternation structurally', () => {
    const risk = (s: string) => backtrackingRisk(parser.parsePattern(s));
    expect(risk('^(a+)+$')).toMatch(/nested quantifier/);
    expect(risk('^(a|b)*$')).toMatch(/repeated alternation/);
    expect(risk('^https://([a-z0-9-]+\\.)?example\\.com$')).toBeUndefined();
    expect(risk('^a{2}b+$')).toBeUndefined();
  });

  it('uses the native engine only for constructs the NFA lacks on a safe structure', () => {
    const look = compileOriginRegex('^https://(?!evil)[a-z]+\\.example\\.com$', '', 'js');
    expect(look.ok && look.regex.engine).toBe('native');
    expect(look.ok && look.regex.test('https://app.example.com')).toBe(true);
    expect(look.ok && look.regex.test('https://evil.example.com')).toBe(false);
    const risky = compileOriginRegex('^(?=a)(a+)+$', '', 'js');
    expect(risky.ok).toBe(false);
    expect(!risky.ok && risky.reason).toMatch(/catastrophically/);
  });

  it('never matches inputs longer than an origin can be', () => {
    const c = compileOriginRegex('^a+$', '', 'js');
    expect(c.ok && c.regex.test('a'.repeat(5000))).toBe(false);
  });
});
