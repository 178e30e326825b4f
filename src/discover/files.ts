import { execFileSync } from 'node:child_process';
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ignore from 'ignore';
import { glob } from 'tinyglobby';

/** Directories that hold dependencies, build output or VCS data, never a project's own CORS config. */
export const SKIPPED_DIRS = ['node_modules', 'vendor', 'dist', 'build', '.git', '.hg', '.svn', 'bower_components', '__pycache__', '.venv', 'venv', '.tox'];

export interface DiscoveredFile {
  absPath: string;
}

export class PathNotFoundError extends Error {}

/**
 * The files below each path: inside a git work tree `git ls-files -co
 * --exclude-standard` (fast, honours every .gitignore and lists new files
 * too), otherwise a glob walk honouring the .gitignore files it meets. A path
 * that names a file is taken as it is (pre-commit passes files one by one).
 */
export async function discoverFiles(paths: string[], cwd: string, extraIgnores: string[] = []): Promise<string[]> {
  const out = new Set<string>();
  for (const p of paths) {
    const abs = path.resolve(cwd, p);
    let st;
    try {
      st = statSync(abs);
    } catch {
      throw new PathNotFoundError(`No such file or directory: ${p}`);
    }
    if (st.isFile()) {
      out.add(abs);
      continue;
    }
    const listed = gitListFiles(abs) ?? (await walk(abs));
    const ig = extraIgnores.length ? ignore().add(extraIgnores) : undefined;
    for (const rel of listed) {
      if (isInSkippedDir(rel)) continue;
      if (ig?.ignores(rel)) continue;
      out.add(path.join(abs, rel));
    }
  }
  return [...out].sort();
}

function isInSkippedDir(rel: string): boolean {
  const parts = rel.split('/');
  parts.pop();
  return parts.some((d) => SKIPPED_DIRS.includes(d));
}

function gitListFiles(dir: string): string[] | undefined {
  try {
    const out = execFileSync('git', ['ls-files', '-co', '--exclude-standard', '-z'], {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    // ls-files lists deleted-but-tracked paths too; the caller stats each file.
    return out.split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

async function walk(dir: string): Promise<string[]> {
  const files = await glob('**/*', {
    cwd: dir,
    dot: true,
    onlyFiles: true,
    followSymbolicLinks: false,
    ignore: SKIPPED_DIRS.map((d) => `**/${d}/**`),
  });
  const gitignores = files.filter((f) => f === '.gitignore' || f.endsWith('/.gitignore'));
  if (gitignores.length === 0) return files;
  // Each .gitignore applies to paths below its own directory.
  const matchers = gitignores.map((g) => {
    const base = path.posix.dirname(g);
    const ig = ignore().add(readFileSync(path.join(dir, g), 'utf8'));
    return { base: base === '.' ? '' : `${base}/`, ig };
  });
  return files.filter((f) => !matchers.some(({ base, ig }) => f.startsWith(base) && ig.ignores(f.slice(base.length))));
}
