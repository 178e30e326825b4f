import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface PackageInfo {
  name: string;
  version: string;
  /** The package's root directory (holds package.json, docs/). */
  dir: string;
}

let cached: PackageInfo | undefined;

/**
 * corslint's own package.json. Searched upwards from this module because the
 * module runs from src/ (tests) and from dist/src/ (the built CLI).
 */
export function packageInfo(): PackageInfo {
  if (cached) return cached;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = path.join(dir, 'package.json');
    if (existsSync(candidate)) {
      const pkg = JSON.parse(readFileSync(candidate, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'corslint' && pkg.version) return (cached = { name: pkg.name, version: pkg.version, dir });
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error("corslint's package.json was not found above " + fileURLToPath(import.meta.url));
    dir = parent;
  }
}
