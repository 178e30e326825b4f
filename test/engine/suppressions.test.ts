import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { applySuppressions, parseSuppressions, type SuppressionRun } from '../../src/engine/suppressions.js';
import type { Extractor, Finding, Loc, Policy } from '../../src/model/index.js';
import { known } from '../../src/model/index.js';

describe('parseSuppressions', () => {
  it('reads every comment syntax', () => {
    const text = [
      '// corslint-disable-next-line credentialed-reflected-origin',
      'x',
      'y; /* corslint-disable-line wildcard-origin */ z',
      '# corslint-disable-next-line null-origin, dev-origin -- staging only',
      'add_header X y;',
      '<!-- corslint-disable-line -- whole line -->',
      "$a = ['*']; // corslint-disable-line",
      'CORS = 1  # corslint-disable-line reflected-origin',
    ].join('\n');
    const s = parseSuppressions('f', text);
    expect(s.map((x) => [x.kind, x.target, x.ruleIds, x.reason])).toEqual([
      ['next-line', 2, ['credentialed-reflected-origin'], undefined],
      ['line', 3, ['wildcard-origin'], undefined],
      ['next-line', 5, ['null-origin', 'dev-origin'], 'staging only'],
      ['line', 6, [], 'whole line'],
      ['line', 7, [], undefined],
      ['line', 8, ['reflected-origin'], undefined],
    ]);
  });

  it('locates the directive from the comment opener to the end of the comment', () => {
    const [a, b] = parseSuppressions('app.js', 'foo(); // corslint-disable-line x\ny; /* corslint-disable-line z */ w\n');
    expect(a!.loc).toEqual({ file: 'app.js', line: 1, column: 8, endLine: 1, endColumn: 34 });
    expect(b!.loc).toEqual({ file: 'app.js', line: 2, column: 4, endLine: 2, endColumn: 33 });
  });

  it('ignores the marker outside comments', () => {
    const text = [
      'const s = "corslint-disable-line reflected-origin";',
      "log('see corslint-disable-next-line in the docs');",
      'x = 1 # not-corslint-disable-line',
      '// corslint-disable-lines is not a directive',
    ].join('\n');
    expect(parseSuppressions('f', text)).toEqual([]);
  });

  it('reads a directive on a continuation line of a block comment, and targets the line after the comment', () => {
    const text = ['/*', ' * corslint-disable-next-line reflected-origin', ' */', 'app.use(cors())', '/* corslint-disable-next-line', '   long reason */', 'z'].join(
      '\n',
    );
    const s = parseSuppressions('f', text);
    expect(s.map((x) => [x.loc.line, x.target])).toEqual([
      [2, 4],
      [5, 7],
    ]);
    // ` * ` outside a block comment is not a comment.
    expect(parseSuppressions('f', 'a = b\n * corslint-disable-line\n')).toEqual([]);
  });

  it('handles CRLF files', () => {
    const [s] = parseSuppressions('f', 'a\r\n# corslint-disable-next-line wildcard-origin\r\nb\r\n');
    expect(s).toMatchObject({ target: 3, ruleIds: ['wildcard-origin'], loc: { line: 2, column: 1, endColumn: 45 } });
  });
});

const at = (file: string, line: number, ruleId: string, endLine = line): Finding => ({
  ruleId,
  severity: 'error',
  message: 'm',
  file,
  line,
  column: 1,
  endLine,
  endColumn: 5,
});

function run(files: Record<string, string>, over: Partial<SuppressionRun> = {}): SuppressionRun {
  return {
    files: [],
    read: (f) => files[f],
    unusedSeverity: 'warning',
    knownRuleIds: new Set(['credentialed-reflected-origin', 'reflected-origin', 'wildcard-origin', 'dev-origin', 'duplicate-cors-header']),
    ...over,
  };
}

describe('applySuppressions', () => {
  const file = [
    '// corslint-disable-next-line wildcard-origin -- public API',
    'app.use(cors())',
    'app.use(cors({ origin: true })) // corslint-disable-line',
    '# corslint-disable-next-line dev-origin, reflected-origin',
    'x',
    'y',
  ].join('\n');

  it('drops findings of the named rules on the target line and keeps the rest', () => {
    const findings = [at('a.js', 2, 'wildcard-origin'), at('a.js', 2, 'dev-origin'), at('a.js', 3, 'reflected-origin'), at('a.js', 5, 'reflected-origin'), at('b.js', 2, 'wildcard-origin')];
    const out = applySuppressions(findings, run({ 'a.js': file, 'b.js': file.replace(/wildcard-origin --/, 'x --') }, { unusedSeverity: 'off' }));
    expect(out.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['a.js:2 dev-origin', 'b.js:2 wildcard-origin']);
  });

  it('covers a finding that spans the target line', () => {
    const out = applySuppressions([at('a.js', 4, 'dev-origin', 6)], run({ 'a.js': file }, { unusedSeverity: 'off' }));
    expect(out).toEqual([]);
  });

  it('reports unused suppressions, and unused or unknown ids, at the comment', () => {
    const text = [
      '// corslint-disable-next-line wildcard-origin',
      'a',
      '// corslint-disable-next-line',
      'b',
      '// corslint-disable-next-line reflected-origin, dev-origin',
      'c',
      '// corslint-disable-next-line reflected-orign',
      'd',
    ].join('\n');
    const out = applySuppressions([at('a.js', 6, 'reflected-origin')], run({ 'a.js': text }));
    expect(out.map((f) => [f.line, f.ruleId, f.severity])).toEqual([
      [1, 'unused-suppression', 'warning'],
      [3, 'unused-suppression', 'warning'],
      [5, 'unused-suppression', 'warning'],
      [7, 'unused-suppression', 'warning'],
    ]);
    expect(out[0]!.message).toBe('Unused `corslint-disable-next-line`: there is no `wildcard-origin` problem on line 2. Remove the comment.');
    expect(out[1]!.message).toBe('`corslint-disable-next-line` suppresses nothing: corslint reports no problem on line 4. Remove the comment.');
    expect(out[2]!.message).toBe('Unused `corslint-disable-next-line`: there is no `dev-origin` problem on line 6. Remove the unused rule ids from it.');
    expect(out[3]!.message).toBe('Unused `corslint-disable-next-line`: `reflected-orign` is not a corslint rule. Remove the comment.');
    expect(out[0]).toMatchObject({ column: 1, endLine: 1, endColumn: 46 });
  });

  it('scans files that only hold policies, and none other', () => {
    const text = '# corslint-disable-next-line\nx\n';
    expect(applySuppressions([], run({ 'p.py': text }, { files: ['p.py'] }))).toHaveLength(1);
    expect(applySuppressions([], run({ 'p.py': text }))).toHaveLength(0);
  });

  it('does not call a suppression of a cross-file rule unused when the other files may not have been linted', () => {
    const text = '# corslint-disable-next-line duplicate-cors-header\nadd_header X y;\n';
    expect(applySuppressions([], run({ 'n.conf': text }, { files: ['n.conf'], mayBeIncomplete: new Set(['duplicate-cors-header']) }))).toEqual([]);
    expect(applySuppressions([], run({ 'n.conf': text }, { files: ['n.conf'] }))).toHaveLength(1);
  });
});

/**
 * The engine path: a stand-in extractor turns each line `reflect-credentials`
 * of a `.cors` file into an Express policy that reflects with credentials,
 * so the real rules and the real suppression pass run over it.
 */
const lineExtractor: Extractor = {
  name: 'test-lines',
  matchesPath: (p) => p.endsWith('.cors'),
  sniff: (t) => t.includes('reflect'),
  extract(file) {
    const policies: Policy[] = [];
    file.text.split('\n').forEach((text, i) => {
      const col = text.indexOf('reflect-credentials');
      if (col === -1) return;
      const loc: Loc = { file: file.path, line: i + 1, column: col + 1, endLine: i + 1, endColumn: col + 20 };
      policies.push({
        framework: 'express',
        layer: 'app',
        scope: {},
        loc,
        origins: known([{ kind: 'reflect', loc }], loc),
        originForm: 'list',
        credentials: known(true, loc),
        methods: known(['GET'], loc, true),
        allowHeaders: known([], loc, true),
        exposeHeaders: known([], loc, true),
        maxAge: known(null, loc, true),
        headers: [],
        unknownOptions: [],
      });
    });
    return { policies };
  },
};

describe('suppressions in lint()', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'corslint-suppress-'));
  writeFileSync(
    path.join(dir, 'app.cors'),
    [
      'reflect-credentials',
      '# corslint-disable-next-line credentialed-reflected-origin -- internal admin tool',
      'reflect-credentials',
      'reflect-credentials # corslint-disable-line wildcard-origin',
      '',
    ].join('\n'),
  );

  it('applies them after the rules and reports the unused one', async () => {
    const { findings } = await lint(['.'], { cwd: dir, extractors: [lineExtractor] });
    expect(findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['1 credentialed-reflected-origin', '4 credentialed-reflected-origin', '4 unused-suppression']);
  });

  it('honours the unused-suppression severity setting', async () => {
    const { findings } = await lint(['app.cors'], { cwd: dir, extractors: [lineExtractor], rules: { 'unused-suppression': 'off' } });
    expect(findings.map((f) => `${f.line} ${f.ruleId}`)).toEqual(['1 credentialed-reflected-origin', '4 credentialed-reflected-origin']);
  });
});
