import type { Loc } from '../../model/index.js';
import { ParseError } from '../../model/index.js';

/**
 * The tokens of nginx's configuration syntax, split the way
 * `ngx_conf_read_token` splits them: words (quoted or not), `;`, `{`, `}`.
 * `#` starts a comment only between words; `}` and `#` inside a word are part
 * of it; `${` inside a word does not open a block; after a closing quote the
 * next character must be a space, `;`, `{` or `)`.
 */
export type Token =
  | { kind: 'word'; word: Word }
  | { kind: ';' | '{' | '}'; loc: Loc };

export interface Word {
  /** The value nginx sees: quotes removed, `\"` `\'` `\\` `\t` `\r` `\n` unescaped, other `\x` kept. */
  value: string;
  /** The text as written, with quotes. */
  raw: string;
  quoted: boolean;
  loc: Loc;
}

export interface Comment {
  text: string;
  loc: Loc;
}

const SPACE = new Set([' ', '\t', '\r', '\n']);

export class Lexer {
  private pos = 0;
  private line = 1;
  private col = 1;
  readonly comments: Comment[] = [];

  constructor(
    readonly text: string,
    readonly file: string,
  ) {}

  get offset(): number {
    return this.pos;
  }

  here(): { line: number; column: number } {
    return { line: this.line, column: this.col };
  }

  loc(start: { line: number; column: number }, end = this.here()): Loc {
    return { file: this.file, line: start.line, column: start.column, endLine: end.line, endColumn: end.column };
  }

  private advance(): string {
    const c = this.text[this.pos++]!;
    if (c === '\n') {
      this.line++;
      this.col = 1;
    } else {
      this.col++;
    }
    return c;
  }

  private peek(k = 0): string | undefined {
    return this.text[this.pos + k];
  }

  /** The next token, or undefined at the end of the text. */
  next(): Token | undefined {
    for (;;) {
      const c = this.peek();
      if (c === undefined) return undefined;
      if (SPACE.has(c)) {
        this.advance();
        continue;
      }
      if (c === '#') {
        const start = this.here();
        let text = '';
        while (this.peek() !== undefined && this.peek() !== '\n') text += this.advance();
        this.comments.push({ text, loc: this.loc(start) });
        continue;
      }
      if (c === ';' || c === '{' || c === '}') {
        const start = this.here();
        this.advance();
        return { kind: c, loc: this.loc(start) };
      }
      if (c === '"' || c === "'") return { kind: 'word', word: this.quoted(c) };
      return { kind: 'word', word: this.bare() };
    }
  }

  private quoted(q: string): Word {
    const start = this.here();
    const from = this.pos;
    this.advance();
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ParseError(`unterminated ${q === '"' ? 'double' : 'single'}-quoted string`, this.loc(start, start));
      if (c === '\\') {
        this.advance();
        if (this.peek() !== undefined) this.advance();
        continue;
      }
      this.advance();
      if (c === q) break;
    }
    const end = this.here();
    const next = this.peek();
    if (next !== undefined && !SPACE.has(next) && next !== ';' && next !== '{' && next !== ')') {
      throw new ParseError(`unexpected "${next}" after a quoted string`, this.loc(end, { line: end.line, column: end.column + 1 }));
    }
    const raw = this.text.slice(from, this.pos);
    return { value: unescape(raw.slice(1, -1)), raw, quoted: true, loc: this.loc(start, end) };
  }

  private bare(): Word {
    const start = this.here();
    const from = this.pos;
    let variable = false;
    for (;;) {
      const c = this.peek();
      if (c === undefined) break;
      if (c === '{' && variable) {
        this.advance();
        continue;
      }
      variable = false;
      if (c === '\\') {
        this.advance();
        if (this.peek() !== undefined) this.advance();
        continue;
      }
      if (c === '$') {
        variable = true;
        this.advance();
        continue;
      }
      if (SPACE.has(c) || c === ';' || c === '{') break;
      this.advance();
    }
    const raw = this.text.slice(from, this.pos);
    return { value: unescape(raw), raw, quoted: false, loc: this.loc(start) };
  }

  /**
   * Skips the body of a `*_by_lua_block { ... }` after its `{`, the way
   * lua-nginx-module's own reader does: braces inside Lua strings, long
   * brackets and comments do not count. Returns the location of the closing `}`.
   */
  skipLuaBlock(open: Loc): Loc {
    let depth = 1;
    for (;;) {
      const c = this.peek();
      if (c === undefined) throw new ParseError('unterminated *_by_lua_block: missing "}"', open);
      if (c === '-' && this.peek(1) === '-') {
        this.advance();
        this.advance();
        const level = this.longBracketLevel();
        if (level >= 0) this.skipLongBracket(level, open);
        else while (this.peek() !== undefined && this.peek() !== '\n') this.advance();
        continue;
      }
      if (c === '[') {
        const level = this.longBracketLevel();
        if (level >= 0) {
          this.skipLongBracket(level, open);
          continue;
        }
      }
      if (c === '"' || c === "'") {
        const start = this.here();
        this.advance();
        for (;;) {
          const d = this.peek();
          if (d === undefined || d === '\n') throw new ParseError('unterminated string in Lua block', this.loc(start, start));
          this.advance();
          if (d === '\\') {
            if (this.peek() !== undefined) this.advance();
            continue;
          }
          if (d === c) break;
        }
        continue;
      }
      const start = this.here();
      this.advance();
      if (c === '{') depth++;
      else if (c === '}' && --depth === 0) return this.loc(start);
    }
  }

  /** At `[`, `[=[`, `[==[` ...: the number of `=`; -1 when this is not a long bracket. */
  private longBracketLevel(): number {
    if (this.peek() !== '[') return -1;
    let k = 1;
    while (this.peek(k) === '=') k++;
    return this.peek(k) === '[' ? k - 1 : -1;
  }

  private skipLongBracket(level: number, open: Loc): void {
    const start = this.here();
    for (let i = 0; i < level + 2; i++) this.advance();
    const close = `]${'='.repeat(level)}]`;
    const end = this.text.indexOf(close, this.pos);
    if (end < 0) throw new ParseError('unterminated long string or comment in Lua block', { ...this.loc(start, start), file: open.file });
    while (this.pos < end + close.length) this.advance();
  }
}

/** nginx's unescaping of a token (ngx_conf_read_token): only quotes, backslash and \t \r \n. */
export function unescape(s: string): string {
  if (!s.includes('\\')) return s;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      const n = s[i + 1]!;
      if (n === '"' || n === "'" || n === '\\') {
        out += n;
        i++;
        continue;
      }
      if (n === 't' || n === 'r' || n === 'n') {
        out += n === 't' ? '\t' : n === 'r' ? '\r' : '\n';
        i++;
        continue;
      }
    }
    out += c;
  }
  return out;
}
