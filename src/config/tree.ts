import path from 'node:path';
import { discoverConfigIn } from './load.js';
import { settingsOf, type Settings, type SettingsOptions } from './settings.js';

export interface GoverningSettings {
  settings: Settings;
  /** The folder whose configuration applies (absolute); ignore globs are relative to it. */
  dir: string;
}

/**
 * Which configuration governs a file. In a monorepo each package may keep its
 * own corslint.config.json (or "corslint" in its package.json): the nearest
 * one between the file's folder and the linted root applies to it, replacing
 * the root's (as stylelint does), so linting the whole repository gives each
 * package the result it gets on its own. An explicit --config governs
 * everything.
 */
export class ConfigTree {
  private readonly byDir = new Map<string, GoverningSettings | null>();

  constructor(
    private readonly root: string,
    private readonly cwd: string,
    private readonly rootSettings: Settings,
    private readonly options: SettingsOptions,
    private readonly knownRules: readonly string[],
  ) {}

  forFile(abs: string): GoverningSettings {
    const fallback = { settings: this.rootSettings, dir: this.root };
    if (this.options.config !== undefined) return fallback;
    for (let dir = path.dirname(abs); isStrictlyInside(dir, this.root); dir = path.dirname(dir)) {
      const own = this.own(dir);
      if (own) return own;
    }
    return fallback;
  }

  private own(dir: string): GoverningSettings | null {
    let hit = this.byDir.get(dir);
    if (hit === undefined) {
      const loaded = discoverConfigIn(dir, this.knownRules, this.cwd);
      hit = loaded ? { settings: settingsOf(loaded, this.options), dir } : null;
      this.byDir.set(dir, hit);
    }
    return hit;
  }
}

function isStrictlyInside(dir: string, root: string): boolean {
  const rel = path.relative(root, dir);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
