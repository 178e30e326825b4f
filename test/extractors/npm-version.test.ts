import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { npmPackageVersion } from '../../src/extractors/js-middleware/version.js';
import { atLeast, compareVersions, lowestInRange } from '../../src/util/semver.js';

/** A virtual repository: absolute path → text. */
function fs(files: Record<string, unknown>): (abs: string) => string | undefined {
  return (abs) => {
    const v = files[abs];
    return v === undefined ? undefined : typeof v === 'string' ? v : JSON.stringify(v);
  };
}

const ROOT = '/repo';
const FILE = path.join(ROOT, 'src/server.js');

describe('lowestInRange (RULES.md decision 17)', () => {
  it.each([
    ['^4.0.0', '4.0.0'],
    ['~3.4.1', '3.4.1'],
    ['4.x', '4.0.0'],
    ['4', '4.0.0'],
    ['>=3.1.0 <5', '3.1.0'],
    ['>4.0.0', '4.0.1'],
    ['>4', '5.0.0'],
    ['^3 || ^4.1', '3.0.0'],
    ['1.2.3 - 2', '1.2.3'],
    ['npm:@koa/cors@^4.0.0', '4.0.0'],
    ['5.0.0-beta.1', '5.0.0'],
  ])('%s → %s', (range, low) => {
    expect(lowestInRange(range)).toBe(low);
  });

  it.each(['*', 'latest', '<5', 'github:koajs/cors', 'file:../cors', ''])('%s has no lower bound', (range) => {
    expect(lowestInRange(range)).toBeUndefined();
  });

  it('compares numerically; no version is the newest', () => {
    expect(compareVersions('10.0.0', '9.9.9')).toBeGreaterThan(0);
    expect(compareVersions('3.4.1', '3.4.1')).toBe(0);
    expect(atLeast('4.0.0', '5.0.0')).toBe(false);
    expect(atLeast(undefined, '5.0.0')).toBe(true);
  });
});

describe('npmPackageVersion', () => {
  it('takes the lockfile next to the manifest over the range', () => {
    const read = fs({
      '/repo/package.json': { dependencies: { '@koa/cors': '^4.0.0' } },
      '/repo/package-lock.json': { lockfileVersion: 3, packages: { '': {}, 'node_modules/@koa/cors': { version: '4.0.1' } } },
    });
    expect(npmPackageVersion(FILE, ROOT, '@koa/cors', read)).toEqual({ version: '4.0.1', source: '/repo/package-lock.json' });
  });

  it('falls back to the lowest version of the range', () => {
    const read = fs({ '/repo/package.json': { devDependencies: { '@fastify/cors': '~10.0.1' } } });
    expect(npmPackageVersion(FILE, ROOT, '@fastify/cors', read)?.version).toBe('10.0.1');
  });

  it('a workspace uses the root lockfile, nested entries first', () => {
    const read = fs({
      '/repo/package.json': { workspaces: ['packages/*'] },
      '/repo/packages/api/package.json': { dependencies: { '@koa/cors': '^3.0.0' } },
      '/repo/package-lock.json': {
        lockfileVersion: 3,
        packages: { '': {}, 'packages/api': {}, 'packages/api/node_modules/@koa/cors': { version: '3.4.3' }, 'node_modules/@koa/cors': { version: '5.0.0' } },
      },
    });
    expect(npmPackageVersion('/repo/packages/api/index.js', ROOT, '@koa/cors', read)?.version).toBe('3.4.3');
  });

  it("an unrelated parent project's lockfile does not speak for a nested project", () => {
    const read = fs({
      '/repo/package-lock.json': { lockfileVersion: 3, packages: { '': {}, 'node_modules/@koa/cors': { version: '5.0.0' } } },
      '/repo/fixtures/old/package.json': { dependencies: { '@koa/cors': '4.0.0' } },
    });
    expect(npmPackageVersion('/repo/fixtures/old/app.js', ROOT, '@koa/cors', read)?.version).toBe('4.0.0');
  });

  it('reads yarn and pnpm lockfiles', () => {
    const yarn = fs({
      '/repo/package.json': { dependencies: { kcors: '^2.2.0' } },
      '/repo/yarn.lock': '# yarn lockfile v1\n\n"kcors@^2.2.0":\n  version "2.2.1"\n  resolved "https://registry.yarnpkg.com/kcors/-/kcors-2.2.1.tgz"\n',
    });
    expect(npmPackageVersion(FILE, ROOT, 'kcors', yarn)?.version).toBe('2.2.1');
    const pnpm = fs({
      '/repo/package.json': { dependencies: { '@fastify/cors': '^9.0.0' } },
      '/repo/pnpm-lock.yaml': "lockfileVersion: '9.0'\n\npackages:\n\n  '@fastify/cors@9.0.1':\n    resolution: {integrity: sha512-x}\n",
    });
    expect(npmPackageVersion(FILE, ROOT, '@fastify/cors', pnpm)?.version).toBe('9.0.1');
  });

  it('no evidence: undefined (the newest behaviour applies)', () => {
    expect(npmPackageVersion(FILE, ROOT, '@koa/cors', fs({ '/repo/package.json': { dependencies: {} } }))).toBeUndefined();
  });
});
