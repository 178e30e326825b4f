import { RegExpParser } from '@eslint-community/regexpp';
import { describe, expect, it } from 'vitest';
import { backtrackingRisk, compileOriginRegex, execRegex, splitByRegex, testRegex, toJsRegExp } from '../../src/probes/index.js';
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

describe('exec: captures as a backtracking engine gives them', () => {
  // Leftmost match, greedy and lazy quantifiers, groups that did not take part.
  const CASES: [string, string, string][] = [
    ['^https?://([a-z0-9-]+)\\.example\\.com$', '', 'https://app.example.com'],
    ['(a+?)(b*)', '', 'xaaabbb'],
    ['(a+)(b*)', '', 'xaaabbb'],
    ['(?<sub>[a-z]+)\\.example', '', 'https://app.example.com'],
    ['(x)?y', '', 'zy'],
    ['a{2,3}?', '', 'aaaa'],
    ['(a|ab)(c|bcd)(d*)', '', 'abcd'],
    ['\\b(\\w+)$', '', 'hello world'],
    ['(a*)+', '', 'b'],
    ['(A)(?:\\.|-)(b)', 'i', 'xa-B'],
    ['nomatch', '', 'https://app.example.com'],
  ];
  for (const [source, flags, input] of CASES) {
    it(`/${source}/${flags} on ${input}`, () => {
      const c = compileOriginRegex(source, flags, 'js');
      expect(c.ok && c.regex.engine).toBe('nfa');
      const m = c.ok ? c.regex.exec(input) : undefined;
      const native = new RegExp(source, flags).exec(input);
      expect(m ? { index: m.index, captures: m.captures, groups: m.groups } : null).toEqual(
        native ? { index: native.index, captures: [...native], groups: native.groups ? { ...native.groups } : undefined } : null,
      );
    });
  }

  it('keeps the last value of a group inside a repetition, as PCRE and Python do', () => {
    const c = compileOriginRegex('^(?:(a)|b)+$', '', 'nginx');
    expect(c.ok && c.regex.exec('ab')?.captures).toEqual(['ab', 'a']);
  });

  it('finds a match at or after an offset, or exactly at it when sticky', () => {
    const c = compileOriginRegex('b+', '', 'js');
    if (!c.ok) throw new Error(c.reason);
    expect(c.regex.exec('abba', 1)?.index).toBe(1);
    expect(c.regex.exec('abba', 3)).toBeNull();
    expect(c.regex.exec('abba', 0, true)).toBeNull();
    expect(c.regex.exec('abba', 1, true)?.captures).toEqual(['bb']);
  });

  it('captures in linear time on a catastrophic pattern', () => {
    const c = compileOriginRegex('^https://(a+)+(\\.example\\.com)$', '', 'nginx');
    if (!c.ok) throw new Error(c.reason);
    expect(c.regex.exec(`https://${'a'.repeat(40)}.example.com.evil.example`)).toBeNull();
    expect(c.regex.exec(`https://${'a'.repeat(40)}.example.com`)?.captures.slice(2)).toEqual(['.example.com']);
  });

  it('runs \\z under the m flag as the end of the input', () => {
    expect(testRegex('#^https://a\\.com\\z#m', '', 'pcre', 'https://a.com\nx')).toBe(false);
    expect(testRegex('#\\Ahttps://a\\.com$#m', '', 'pcre', 'x\nhttps://a.com')).toBe(false);
    expect(testRegex('#^https://a\\.com$#m', '', 'pcre', 'x\nhttps://a.com')).toBe(true);
  });
});

describe('RegExp-shaped access to the safe matcher', () => {
  it('toJsRegExp: exec, String#match and replace run on the linear-time matcher', () => {
    const re = toJsRegExp('^(a+)+$', '', 'js')!;
    const evil = `${'a'.repeat(40)}!`;
    expect(re.exec(evil)).toBeNull();
    expect(evil.match(re)).toBeNull();
    expect(evil.replace(re, '-')).toBe(evil);
    expect(re.exec('aaa')?.[1]).toBe('aaa');
  });

  it('execRegex: captures for nginx $1, undefined for what cannot be evaluated', () => {
    expect(execRegex('^https://(?<sub>[a-z]+)\\.example\\.com$', 'i', 'nginx', 'https://APP.example.com')).toMatchObject({ index: 0, captures: ['https://APP.example.com', 'APP'], groups: { sub: 'APP' } });
    expect(execRegex('^a++$', '', 'nginx', 'aa')).toBeUndefined();
  });

  it('splitByRegex splits as String#split does, captures included', () => {
    for (const [s, source] of [
      ['a, b ,c', '\\s*,\\s*'],
      ['a1b2c', '(\\d)'],
      ['abc', ''],
      ['', ','],
      ['', ''],
      ['a,,b', ','],
      ['abc', '(x)?'],
    ] as const) {
      expect(splitByRegex(s, source, ''), `${JSON.stringify(s)} / ${source}`).toEqual(s.split(new RegExp(source)));
    }
    expect(splitByRegex(`${'a'.repeat(40)}!`, '(a+)+$', '')).toEqual([`${'a'.repeat(40)}!`]);
  });
});
