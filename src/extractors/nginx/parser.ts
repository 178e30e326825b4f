import type { Loc } from '../../model/index.js';
import { ParseError } from '../../model/index.js';
import type { Comment, Word } from './lexer.js';
import { Lexer } from './lexer.js';

/** One nginx directive: `name arg ...;` or `name arg ... { block }`. */
export interface Directive {
  name: string;
  nameWord: Word;
  args: Word[];
  /** From the name to the `;`, or to the `{` for a block directive. */
  loc: Loc;
  /** The children of a block directive; undefined for `name ...;`. */
  block?: Directive[];
  /** The `}` closing the block. */
  blockEnd?: Loc;
  /** A `*_by_lua_block`: its Lua body is skipped, not parsed. */
  lua?: boolean;
  /** Set by include resolution on directives that came from another file: the include chain. */
  includedVia?: Directive[];
}

export interface ParsedFile {
  file: string;
  directives: Directive[];
  comments: Comment[];
}

/**
 * Parses one file's text into directives. Unbalanced braces, a directive
 * left without `;` at the end of the file and unterminated strings throw
 * ParseError with the location nginx would name.
 */
export function parseNginx(text: string, file: string): ParsedFile {
  const lx = new Lexer(text, file);
  const stack: { list: Directive[]; owner?: Directive }[] = [{ list: [] }];
  let words: Word[] = [];

  const finish = (end: Loc, block: boolean): Directive => {
    const [nameWord, ...args] = words;
    const d: Directive = {
      name: nameWord!.value,
      nameWord: nameWord!,
      args,
      loc: { file, line: nameWord!.loc.line, column: nameWord!.loc.column, endLine: end.endLine, endColumn: end.endColumn },
    };
    if (block) d.block = [];
    stack[stack.length - 1]!.list.push(d);
    words = [];
    return d;
  };

  for (;;) {
    const t = lx.next();
    if (!t) break;
    if (t.kind === 'word') {
      words.push(t.word);
      continue;
    }
    if (t.kind === ';') {
      if (words.length === 0) throw new ParseError('unexpected ";"', t.loc);
      finish(t.loc, false);
      continue;
    }
    if (t.kind === '{') {
      if (words.length === 0) throw new ParseError('unexpected "{"', t.loc);
      const d = finish(t.loc, true);
      if (d.name.endsWith('_by_lua_block')) {
        d.lua = true;
        d.blockEnd = lx.skipLuaBlock(t.loc);
        continue;
      }
      stack.push({ list: d.block!, owner: d });
      continue;
    }
    // '}'
    if (words.length) {
      const last = words[words.length - 1]!;
      throw new ParseError(`unexpected "}": directive "${words[0]!.value}" is not terminated by ";"`, last.loc);
    }
    if (stack.length === 1) throw new ParseError('unexpected "}": no block is open', t.loc);
    const top = stack.pop()!;
    top.owner!.blockEnd = t.loc;
  }
  if (words.length) {
    throw new ParseError(`unexpected end of file: directive "${words[0]!.value}" is not terminated by ";"`, words[words.length - 1]!.loc);
  }
  if (stack.length > 1) {
    const open = stack[stack.length - 1]!.owner!;
    throw new ParseError(`unexpected end of file: the "${open.name}" block opened here is not closed by "}"`, open.loc);
  }
  return { file, directives: stack[0]!.list, comments: lx.comments };
}

/** The whole span of a directive, including its block. */
export function fullLoc(d: Directive): Loc {
  if (!d.blockEnd) return d.loc;
  return { ...d.loc, endLine: d.blockEnd.endLine, endColumn: d.blockEnd.endColumn };
}

/** The span of a directive's arguments (an `if` condition, a map key). */
export function argsLoc(d: Directive): Loc {
  if (d.args.length === 0) return d.nameWord.loc;
  const first = d.args[0]!.loc;
  const last = d.args[d.args.length - 1]!.loc;
  return { ...first, endLine: last.endLine, endColumn: last.endColumn };
}

/** Walks every directive, depth first, in file order. */
export function* walk(list: Directive[]): Generator<Directive> {
  for (const d of list) {
    yield d;
    if (d.block) yield* walk(d.block);
  }
}
