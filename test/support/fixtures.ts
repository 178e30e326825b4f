import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const REPO = path.resolve(import.meta.dirname, '../..');
export const FIXTURES = path.join(REPO, 'fixtures');
export const PROJECT_MARKER = 'corslint-project';

/** One thing the fixture runner lints: a single file, or a directory marked as one project. */
export interface FixtureUnit {
  /** Relative to the repository root, `/` separators. */
  target: string;
  kind: 'file' | 'project';
  /** Files whose annotations count for this unit. */
  files: string[];
}

export interface Expectation {
  file: string;
  line: number;
  ruleId: string;
}

const NOT_FIXTURES = /(^|\/)(README\.md|corslint-project)$/;

export function fixtureUnits(dir = FIXTURES): FixtureUnit[] {
  const units: FixtureUnit[] = [];
  const visit = (abs: string) => {
    const entries = readdirSync(abs).sort();
    if (entries.includes(PROJECT_MARKER)) {
      units.push({ target: rel(abs), kind: 'project', files: allFiles(abs).map(rel).filter((f) => !NOT_FIXTURES.test(f)) });
      return;
    }
    for (const name of entries) {
      const child = path.join(abs, name);
      if (statSync(child).isDirectory()) visit(child);
      else if (!NOT_FIXTURES.test(name)) units.push({ target: rel(child), kind: 'file', files: [rel(child)] });
    }
  };
  visit(dir);
  return units;
}

function allFiles(abs: string): string[] {
  return readdirSync(abs, { recursive: true, withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => path.join(d.parentPath, d.name))
    .sort();
}

function rel(abs: string): string {
  return path.relative(REPO, abs).split(path.sep).join('/');
}

/** `// expect: a, b`, `# expect: a`, `/* expect: a *\/`, `-- expect: a`, `; expect: a` on a line of its own. */
const EXPECT = /^\s*(?:\/\/|#|\/\*+|\*|--|;|<!--)\s*expect:\s*([a-z0-9-]+(?:\s*,\s*[a-z0-9-]+)*)/;

/** The annotations of one file: each applies to the next line that is not itself an expect comment. */
export function expectations(relFile: string): Expectation[] {
  const lines = readFileSync(path.join(REPO, relFile), 'utf8').split(/\r?\n/);
  const out: Expectation[] = [];
  let pending: string[] = [];
  lines.forEach((text, i) => {
    const m = EXPECT.exec(text);
    if (m) {
      pending.push(...m[1]!.split(',').map((s) => s.trim()));
      return;
    }
    for (const ruleId of pending) out.push({ file: relFile, line: i + 1, ruleId });
    pending = [];
  });
  return out;
}
