import { describe, expect, it } from 'vitest';
import { patternShape } from '../../src/probes/index.js';

describe('anchoring and escaping, read structurally', () => {
  it('sees anchors written in the pattern, inside groups and per alternative', () => {
    expect(patternShape('^https://a\\.com$', '', 'js')).toEqual({ anchoredStart: true, anchoredEnd: true, unescapedDots: [] });
    expect(patternShape('(^https://a\\.com$)', '', 'js')).toMatchObject({ anchoredStart: true, anchoredEnd: true });
    expect(patternShape('^https://a\\.com$|^https://b\\.com', '', 'js')).toMatchObject({ anchoredStart: true, anchoredEnd: false });
    expect(patternShape('example\\.com$', '', 'js')).toMatchObject({ anchoredStart: false, anchoredEnd: true });
    expect(patternShape('^https://a\\.com\\b', '', 'js')).toMatchObject({ anchoredEnd: false });
  });

  it('counts the anchors each flavour adds', () => {
    expect(patternShape('https://a\\.com', '', 'python-match')).toMatchObject({ anchoredStart: true, anchoredEnd: false });
    expect(patternShape('https://a\\.com', '', 'python-fullmatch')).toMatchObject({ anchoredStart: true, anchoredEnd: true });
    expect(patternShape('#https://a\\.com\\z#A', '', 'pcre')).toMatchObject({ anchoredStart: true, anchoredEnd: true });
    expect(patternShape('\\Ahttps://a\\.com\\Z', '', 'nginx')).toMatchObject({ anchoredStart: true, anchoredEnd: true });
    expect(patternShape('https://a\\.com', '', 'nginx')).toMatchObject({ anchoredStart: false, anchoredEnd: false });
  });

  it('finds lone unescaped dots, not `.*` or escaped ones', () => {
    expect(patternShape('^https://app.example\\.com$', '', 'js')!.unescapedDots).toEqual([12]);
    expect(patternShape('^https://.*\\.example\\.com$', '', 'js')!.unescapedDots).toEqual([]);
    expect(patternShape('^https://[.a-z]+\\.example\\.com$', '', 'js')!.unescapedDots).toEqual([]);
  });

  it('gives up on patterns it cannot parse', () => {
    expect(patternShape('/unterminated', '', 'pcre')).toBeUndefined();
    expect(patternShape('^(a', '', 'js')).toBeUndefined();
  });
});
