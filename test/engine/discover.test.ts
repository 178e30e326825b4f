import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discoverFiles, PathNotFoundError } from '../../src/discover/files.js';
import { readSourceFile, MAX_FILE_BYTES } from '../../src/discover/read.js';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'corslint-disc-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

const rels = (dir: string, files: string[]) => files.map((f) => path.relative(dir, f).split(path.sep).join('/'));

describe('discoverFiles', () => {
  const files = {
    'app.js': 'x',
    '.gitignore': 'generated/\n*.tmp\n',
    'generated/out.js': 'x',
    'a.tmp': 'x',
    'node_modules/cors/index.js': 'x',
    'vendor/laravel/config/cors.php': 'x',
    'dist/app.js': 'x',
    'sub/.gitignore': 'local.js\n',
    'sub/local.js': 'x',
    'sub/kept.js': 'x',
  };
  const expected = ['.gitignore', 'app.js', 'sub/.gitignore', 'sub/kept.js'];

  it('walks a plain directory honouring nested .gitignore files and skipping dependency dirs', async () => {
    const dir = tree(files);
    expect(rels(dir, await discoverFiles(['.'], dir))).toEqual(expected);
  });

  it('uses git ls-files inside a work tree, including new untracked files', async () => {
    const dir = tree(files);
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', 'app.js'], { cwd: dir });
    expect(rels(dir, await discoverFiles(['.'], dir))).toEqual(expected);
  });

  it('takes a file path as given and rejects a missing one', async () => {
    const dir = tree(files);
    expect(rels(dir, await discoverFiles(['generated/out.js'], dir))).toEqual(['generated/out.js']);
    await expect(discoverFiles(['nope.js'], dir)).rejects.toBeInstanceOf(PathNotFoundError);
  });

  it('applies extra ignore globs', async () => {
    const dir = tree(files);
    expect(rels(dir, await discoverFiles(['.'], dir, ['sub/']))).toEqual(['.gitignore', 'app.js']);
  });
});

describe('readSourceFile', () => {
  it('skips binary and oversized files', () => {
    const dir = tree({ 'bin.js': 'a\0b', 'big.js': 'x'.repeat(MAX_FILE_BYTES + 1), 'ok.js': 'héllo' });
    expect(readSourceFile(path.join(dir, 'bin.js'))).toEqual({ kind: 'skipped', reason: 'binary' });
    expect(readSourceFile(path.join(dir, 'big.js'))).toEqual({ kind: 'skipped', reason: 'too-large' });
    expect(readSourceFile(path.join(dir, 'ok.js'))).toEqual({ kind: 'text', text: 'héllo' });
  });
});
