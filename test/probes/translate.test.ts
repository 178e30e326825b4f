import { describe, expect, it } from 'vitest';
import { splitPcreDelimiters, testRegex, toJsRegExp, translateRegex } from '../../src/probes/index.js';

const js = (source: string, flags: string, flavor: Parameters<typeof translateRegex>[2]) => {
  const t = translateRegex(source, flags, flavor);
  if (!t.ok) throw new Error(t.reason);
  return t.regex;
};

describe('regex flavour translation', () => {
  it('leaves JavaScript patterns alone and drops g/y', () => {
    expect(js('example\\.com$', 'gi', 'js')).toEqual({ source: 'example\\.com$', flags: 'i' });
  });

  it('anchors Python re.match at the start and fullmatch at both ends', () => {
    expect(js('https://a\\.com', '', 'python-match').source).toBe('^(?:https://a\\.com)');
    expect(js('https://a\\.com', '', 'python-fullmatch').source).toBe('^(?:https://a\\.com)$');
  });

  it('translates (?P<name>, (?P=name), \\A, \\Z, \\z and leading inline flags', () => {
    const r = js('(?i)(?x)\\A(?P<s>\\w+) \\. (?P=s)\\Z', '', 'python-match');
    expect(r.flags).toBe('i');
    expect(r.source).toBe('^(?:^(?<s>\\w+)\\.\\k<s>$)');
    expect(js('^a\\z', '', 'nginx').source).toBe('^a$');
  });

  it('does not touch escaped backslashes or classes', () => {
    expect(js('\\\\A[\\A]', '', 'nginx').source).toBe('\\\\A[\\A]');
  });

  it('reads PHP delimiters and modifiers like preg_match', () => {
    expect(splitPcreDelimiters('#^https://a\\.com$#i')).toEqual({ body: '^https://a\\.com$', flags: 'i', delimiter: '#' });
    expect(splitPcreDelimiters('  {^a{2}$}x')).toEqual({ body: '^a{2}$', flags: 'x', delimiter: '{' });
    expect(splitPcreDelimiters('/a\\/b/')).toEqual({ body: 'a\\/b', flags: '', delimiter: '/' });
    // An unescaped delimiter ends the pattern; what follows is not a modifier: PHP warns.
    expect(splitPcreDelimiters('/^https://a$/')).toBeUndefined();
    expect(splitPcreDelimiters('^https://a$')).toBeUndefined();
    expect(splitPcreDelimiters('/abc')).toBeUndefined();
  });

  it('applies PCRE modifiers: i, x, A (anchored)', () => {
    expect(js('/A\\.COM$/i', '', 'pcre')).toEqual({ source: 'A\\.COM$', flags: 'i' });
    expect(js('~ a \\. com # comment\n$~x', '', 'pcre').source).toBe('a\\.com$');
    expect(js('/https:\\/\\/a\\.com/A', '', 'pcre').source).toBe('^(?:https:\\/\\/a\\.com)');
    // PCRE's u is Unicode matching; JavaScript's u would also reject preg_quote's `\:` and `\-`.
    expect(js('#^https\\://a\\-b\\.com\\z#u', '', 'pcre')).toEqual({ source: '^https\\://a\\-b\\.com$', flags: '' });
    // \A and \z never match at a line break, even under m.
    expect(js('#\\Aa\\z#m', '', 'pcre')).toEqual({ source: '(?<![\\s\\S])a(?![\\s\\S])', flags: 'm' });
  });

  it('translates \\Q…\\E, POSIX classes and {,n}', () => {
    expect(js('^\\Qa.b\\E$', '', 'nginx').source).toBe('^a\\.b$');
    expect(js('^[[:alpha:][:digit:]-]+$', '', 'nginx').source).toBe('^[a-zA-Z0-9-]+$');
    expect(js('^a{,3}$', '', 'python-match').source).toBe('^(?:^a{0,3}$)');
  });

  it('refuses constructs JavaScript cannot express instead of guessing', () => {
    for (const p of ['^a++$', '^(?>a+)$', '^(a)(?(1)b|c)$', '^a(?i)b$', '^(?R)$']) {
      expect(translateRegex(p, '', 'nginx').ok, p).toBe(false);
    }
    expect(translateRegex('/a/e', '', 'pcre').ok).toBe(false);
  });
});

describe('matching as each flavour does', () => {
  const cases: [string, string, Parameters<typeof testRegex>[2], string, boolean][] = [
    ['example\\.com$', '', 'js', 'https://evilexample.com', true],
    ['^https://([a-z0-9-]+\\.)?example\\.com$', '', 'js', 'https://evilexample.com', false],
    ['^https://([a-z0-9-]+\\.)?example\\.com$', '', 'js', 'https://a.example.com', true],
    ['https://\\w+\\.example\\.com', '', 'python-match', 'https://a.example.com.evil.example', true],
    ['https://\\w+\\.example\\.com', '', 'python-match', 'xhttps://a.example.com', false],
    ['https://\\w+\\.example\\.com', '', 'python-fullmatch', 'https://a.example.com.evil.example', false],
    ['/^https:\\/\\/app\\.example\\.com$/i', '', 'pcre', 'https://APP.example.com', true],
    ['#example\\.com#', '', 'pcre', 'https://example.com.evil.example', true],
    ['^https://app\\.example\\.com$', 'i', 'nginx', 'https://App.Example.com', true],
    ['^https://app\\.example\\.com$', '', 'nginx', 'https://App.Example.com', false],
    ['(?i)^https://(?P<t>[a-z]+)\\.example\\.com\\Z', '', 'python-match', 'HTTPS://A.EXAMPLE.COM', true],
  ];
  for (const [source, flags, flavor, input, expected] of cases) {
    it(`${flavor} ${source} on ${input} → ${expected}`, () => {
      expect(testRegex(source, flags, flavor, input)).toBe(expected);
    });
  }

  it('toJsRegExp returns a RegExp whose test() honours the flavour', () => {
    const re = toJsRegExp('https://a\\.com', '', 'python-fullmatch')!;
    expect(re).toBeInstanceOf(RegExp);
    expect(re.source).toBe('^(?:https:\\/\\/a\\.com)$');
    expect(re.test('https://a.com')).toBe(true);
    expect(re.test('https://a.com.evil.example')).toBe(false);
    expect(toJsRegExp('^a++$', '', 'nginx')).toBeUndefined();
  });
});
