import { describe, expect, it } from 'vitest';
import { docsUrl } from '../../src/docs-url.js';
import { escapeData, escapeProperty, formatGithub } from '../../src/formatters/github.js';
import type { Finding } from '../../src/model/index.js';

const base: Finding = {
  ruleId: 'credentialed-reflected-origin',
  severity: 'error',
  message: 'Express `cors` echoes any Origin.',
  file: 'server/app.js',
  line: 12,
  column: 9,
  endLine: 12,
  endColumn: 41,
};

/** Parses one workflow command back the way the runner does (split, then unescape). */
function parse(line: string) {
  const m = /^::(\w+) (.*?)::(.*)$/.exec(line);
  if (!m) throw new Error(`not a workflow command: ${line}`);
  const unescape = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
  const props = Object.fromEntries(
    m[2]!.split(',').map((kv) => {
      const i = kv.indexOf('=');
      return [kv.slice(0, i), unescape(kv.slice(i + 1))];
    }),
  );
  return { command: m[1], props, message: unescape(m[3]!) };
}

describe('--format github', () => {
  it('writes one ::error annotation per error with file, span and title', () => {
    const out = formatGithub([base]);
    expect(out.endsWith('\n')).toBe(true);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).toMatch(/^::error file=server\/app\.js,line=12,endLine=12,col=9,endColumn=41,title=corslint credentialed-reflected-origin::/);
    const { command, props, message } = parse(out.trimEnd());
    expect(command).toBe('error');
    expect(props).toEqual({
      file: 'server/app.js',
      line: '12',
      endLine: '12',
      col: '9',
      endColumn: '41',
      title: 'corslint credentialed-reflected-origin',
    });
    expect(message).toBe(`Express \`cors\` echoes any Origin.\n${docsUrl(base.ruleId)}`);
  });

  it('uses ::warning for warnings', () => {
    const out = formatGithub([{ ...base, severity: 'warning', ruleId: 'wildcard-origin' }]);
    expect(out.startsWith('::warning ')).toBe(true);
    expect(parse(out.trimEnd()).props.title).toBe('corslint wildcard-origin');
  });

  it('omits columns for a span over several lines (annotations take them on one line only)', () => {
    const { props } = parse(formatGithub([{ ...base, endLine: 15, endColumn: 3 }]).trimEnd());
    expect(props).toEqual({ file: 'server/app.js', line: '12', endLine: '15', title: 'corslint credentialed-reflected-origin' });
  });

  it('escapes %, CR and LF in the message and : , in properties, so nothing ends early', () => {
    const tricky: Finding = {
      ...base,
      file: 'odd,dir/a:b%20.js',
      message: "100% of origins\r\nare echoed: use ['a', 'b'] :: not '*'",
      related: [{ file: 'odd,dir/a:b%20.js', line: 3, column: 1, message: 'credentials enabled here' }],
    };
    const out = formatGithub([tricky]);
    expect(out.trimEnd().split('\n')).toHaveLength(1);
    expect(out).not.toMatch(/\r/);
    expect(out).toContain('file=odd%2Cdir/a%3Ab%2520.js,');
    expect(out).toContain('::100%25 of origins%0D%0Aare echoed: use');
    const { props, message } = parse(out.trimEnd());
    expect(props.file).toBe('odd,dir/a:b%20.js');
    expect(message).toBe(
      `100% of origins\r\nare echoed: use ['a', 'b'] :: not '*'\n↳ odd,dir/a:b%20.js:3:1 credentials enabled here\n${docsUrl(base.ruleId)}`,
    );
  });

  it('matches @actions/core escaping', () => {
    expect(escapeData('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad:e,f');
    expect(escapeProperty('a%b\rc\nd:e,f')).toBe('a%25b%0Dc%0Ad%3Ae%2Cf');
  });

  it('prints nothing for no findings', () => {
    expect(formatGithub([])).toBe('');
  });
});
