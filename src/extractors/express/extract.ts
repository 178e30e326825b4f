import type * as ES from 'estree';
import type { ExtractResult } from '../../model/index.js';
import { corsPolicies } from './cors-calls.js';
import type { ModuleResolver } from './evaluate.js';
import { Evaluator } from './evaluate.js';
import { listenFacts } from './listen.js';
import { manualHeaderPolicies } from './manual-headers.js';
import { nestPolicies } from './nest.js';

export interface ExtractOptions {
  /** The module's identity for `resolve` (an absolute path in the CLI); defaults to `file`. */
  id?: string;
  /** The source text, used to quote custom origin checks in messages. */
  text?: string;
}

/**
 * The ESTree half of the Express extractor: no parser, no file system. The
 * CLI feeds it `@babel/parser` output; the ESLint plugin can feed it ESLint's
 * own AST and a resolver of its choosing.
 */
export function extractFromProgram(program: ES.Program, file: string, resolve: ModuleResolver, options: ExtractOptions = {}): ExtractResult {
  const ev = new Evaluator(resolve);
  const src = { id: options.id ?? file, file, program, ...(options.text !== undefined ? { text: options.text } : {}) };
  const mod = ev.module(src);
  const policies = [...corsPolicies(ev, mod), ...nestPolicies(ev, mod), ...manualHeaderPolicies(ev, mod)];
  const facts = listenFacts(ev, mod);
  return facts.length ? { policies, facts } : { policies };
}
