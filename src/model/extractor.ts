import type { Loc } from './loc.js';
import type { Policy } from './policy.js';
import type { ProjectFact } from './rule.js';

export interface SourceFile {
  /** Display path: relative to the working directory, with `/`. */
  path: string;
  absPath: string;
  text: string;
}

export interface ExtractContext {
  /** Absolute path of the linted root (the project). */
  root: string;
  /** Read another file of the repository (cross-file resolution); undefined when missing or unreadable. */
  readFile(absPath: string): string | undefined;
  /** The display path of an absolute path. */
  displayPath(absPath: string): string;
  /**
   * Absolute paths of every file this run lints, when the engine provides
   * them. nginx uses it to lint a file included by another file once, in its
   * includer's context, when that includer is linted too.
   */
  runFiles?: ReadonlySet<string>;
}

export interface ExtractResult {
  policies: Policy[];
  facts?: ProjectFact[];
}

/** Thrown by an extractor when the file cannot be parsed; becomes a `parse-error` finding. */
export class ParseError extends Error {
  constructor(
    message: string,
    readonly loc: Loc,
  ) {
    super(message);
    this.name = 'ParseError';
  }
}

export interface Extractor {
  /** Folder name under src/extractors/. */
  name: string;
  /** Cheap: does this path look like a file this extractor reads? (relative path, `/` separators) */
  matchesPath(relPath: string): boolean;
  /** Cheap content sniff, run before parsing: most files stop here. */
  sniff(text: string): boolean;
  extract(file: SourceFile, ctx: ExtractContext): ExtractResult | Promise<ExtractResult>;
}
