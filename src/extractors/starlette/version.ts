import type { ExtractContext } from '../../model/index.js';
import { compareVersions, detectVersion } from '../django/version.js';

/**
 * Which Starlette the project runs (RULES.md decision 17): `starlette` in a
 * lockfile or requirement, else the Starlette that the `fastapi` release it
 * pins requires (FastAPI pins Starlette tightly); no evidence → undefined
 * (the newest behaviour).
 */
export function starletteVersion(absPath: string, ctx: ExtractContext): string | undefined {
  const read = (p: string) => ctx.readFile(p);
  const own = detectVersion(absPath, ctx.root, read, 'starlette(?![-_.\\w])');
  if (own) return own.version;
  const fastapi = detectVersion(absPath, ctx.root, read, 'fastapi(?![-_.\\w])');
  return fastapi ? starletteForFastapi(fastapi.version) : undefined;
}

/**
 * The lowest Starlette a FastAPI release accepts, where the CORS middleware
 * behaves differently (fastapi's pyproject/setup pins, 0.50–0.69): < 0.50
 * pins Starlette 0.12 (regex with `re.match`), < 0.57 pins 0.13.2 (no
 * safelisted headers), < 0.69 pins 0.13.4–0.14.2 (allow-all preflight `*`
 * even with credentials). Later releases need Starlette ≥ 0.15.
 */
export function starletteForFastapi(version: string): string | undefined {
  if (compareVersions(version, '0.50.0') < 0) return '0.12.9';
  if (compareVersions(version, '0.57.0') < 0) return '0.13.2';
  if (compareVersions(version, '0.69.0') < 0) return '0.14.2';
  return undefined;
}
