import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO } from './fixtures.js';

export const CLI = path.join(REPO, 'dist/src/cli.js');

/** Runs the built binary, as a user would after `npm ci`. */
export function runCli(args: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd: opts.cwd ?? REPO,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...opts.env },
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
