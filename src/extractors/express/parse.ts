import type { ParserOptions, ParserPlugin } from '@babel/parser';
import { parse } from '@babel/parser';
import type * as ES from 'estree';
import { ParseError } from '../../model/index.js';

export const JS_EXTENSIONS = ['.js', '.cjs', '.mjs', '.jsx', '.ts', '.tsx', '.mts', '.cts'];

const TS = /\.(ts|mts|cts)$/;

/**
 * Parse JavaScript or TypeScript into ESTree. `.ts` files are parsed without
 * JSX (where `<T>x` is a type assertion); everything else accepts JSX, and
 * plain JavaScript also the TypeScript syntax some projects leave in `.js`.
 */
export function parseProgram(text: string, file: string): ES.Program {
  const base: ParserPlugin[] = ['estree'];
  if (TS.test(file)) base.push(['typescript', { dts: false }]);
  else base.push('jsx', ['typescript', { dts: false }]);
  const options = (decorators: ParserPlugin[]): ParserOptions => ({
    sourceType: /\.m[jt]s$/.test(file) ? 'module' : 'unambiguous',
    plugins: [...base, ...decorators],
    errorRecovery: false,
    allowReturnOutsideFunction: !/\.m[jt]s$/.test(file),
    allowImportExportEverywhere: false,
  });
  try {
    // TypeScript's experimentalDecorators (NestJS: `@Module`, parameter decorators) first ...
    return parse(text, options(['decorators-legacy'])).program as unknown as ES.Program;
  } catch (e) {
    // ... then the standard ones (`export @dec class`, `accessor`), which Babel cannot parse together.
    if (text.includes('@')) {
      try {
        return parse(text, options([['decorators', {}], 'decoratorAutoAccessors'])).program as unknown as ES.Program;
      } catch {
        // Report the first parse's error: it names the place for code without standard decorators.
      }
    }
    const err = e as Error & { loc?: { line: number; column: number } };
    const line = err.loc?.line ?? 1;
    const column = (err.loc?.column ?? 0) + 1;
    const message = err.message.replace(/\s*\(\d+:\d+\)$/, '');
    throw new ParseError(message, { file, line, column, endLine: line, endColumn: column + 1 });
  }
}
