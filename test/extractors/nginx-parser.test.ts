import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isNginxPath, looksLikeNginx, nginxExtractor, sniffNginx } from '../../src/extractors/nginx/index.js';
import { parseCondition } from '../../src/extractors/nginx/conf.js';
import { configRoot, expandConfig } from '../../src/extractors/nginx/include.js';
import { Lexer } from '../../src/extractors/nginx/lexer.js';
import { argsLoc, parseNginx, walk } from '../../src/extractors/nginx/parser.js';
import { stripTemplating } from '../../src/extractors/nginx/template.js';
import type { ExtractContext } from '../../src/model/index.js';
import { ParseError } from '../../src/model/index.js';

const parse = (text: string) => parseNginx(text, 'f.conf').directives;

function parseError(text: string): ParseError {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ParseError) return e;
    throw e;
  }
  throw new Error('expected a ParseError');
}

describe('nginx lexer', () => {
  it('splits words, quotes and punctuation with 1-based positions', () => {
    const lx = new Lexer('add_header  "X-A"  \'b c\';\n', 'f.conf');
    const toks = [lx.next(), lx.next(), lx.next(), lx.next(), lx.next()];
    expect(toks.map((t) => (t?.kind === 'word' ? t.word.value : t?.kind))).toEqual(['add_header', 'X-A', 'b c', ';', undefined]);
    const q = toks[1]!;
    expect(q.kind === 'word' && q.word).toMatchObject({ raw: '"X-A"', quoted: true, loc: { line: 1, column: 13, endLine: 1, endColumn: 18 } });
  });

  it('unescapes only quotes, backslash, \\t \\r \\n, like ngx_conf_read_token', () => {
    const [d] = parse('add_header X "a\\"b\\\\c\\.d\\te";');
    expect(d!.args[1]!.value).toBe('a"b\\c\\.d\te');
    const [r] = parse('if ($http_origin ~* ^https://a\\.example\\.com$) { }');
    expect(r!.args[2]!.value).toBe('^https://a\\.example\\.com$)');
  });

  it('keeps ${var}, # and } inside a bare word', () => {
    const [d] = parse('set $x ${host}a#b}c;');
    expect(d!.args.map((a) => a.value)).toEqual(['$x', '${host}a#b}c']);
  });

  it('treats # between words as a comment', () => {
    const lx = new Lexer('a b; # add_header X y;\nc;', 'f.conf');
    const words: string[] = [];
    for (let t = lx.next(); t; t = lx.next()) if (t.kind === 'word') words.push(t.word.value);
    expect(words).toEqual(['a', 'b', 'c']);
    expect(lx.comments).toHaveLength(1);
    expect(lx.comments[0]!.loc.line).toBe(1);
  });

  it('accepts `)` right after a closing quote (if conditions)', () => {
    const [d] = parse('if ($http_origin ~* "^https://a$") { return 204; }');
    expect(d!.args.map((a) => a.value)).toEqual(['($http_origin', '~*', '^https://a$', ')']);
    expect(d!.block![0]!.name).toBe('return');
  });

  it('rejects text glued to a closing quote', () => {
    expect(parseError('add_header X "a"b;').message).toMatch(/unexpected "b"/);
  });

  it('reports an unterminated string where it starts', () => {
    const e = parseError('server {\n  add_header X "abc;\n}\n');
    expect(e.message).toMatch(/unterminated double-quoted string/);
    expect(e.loc).toMatchObject({ line: 2, column: 16 });
  });
});

describe('nginx parser', () => {
  it('builds nested blocks with locations for directives and arguments', () => {
    const ds = parse('http {\n  server {\n    listen 80;\n    location /api/ {\n      add_header A b always;\n    }\n  }\n}\n');
    const add = [...walk(ds)].find((d) => d.name === 'add_header')!;
    expect(add.loc).toMatchObject({ file: 'f.conf', line: 5, column: 7, endLine: 5, endColumn: 29 });
    expect(add.args.map((a) => a.value)).toEqual(['A', 'b', 'always']);
    expect(add.args[2]!.loc).toMatchObject({ line: 5, column: 22 });
    const loc = [...walk(ds)].find((d) => d.name === 'location')!;
    expect(loc.blockEnd).toMatchObject({ line: 6, column: 5 });
    expect(argsLoc(loc)).toMatchObject({ line: 4, column: 14, endColumn: 19 });
  });

  it('parses map bodies as entries, quoted keys included', () => {
    const [m] = parse('map $http_origin $cors {\n  default "";\n  "~^https://a\\.b$" $http_origin;\n  hostnames;\n}');
    expect(m!.block!.map((e) => [e.name, ...e.args.map((a) => a.value)])).toEqual([
      ['default', ''],
      ['~^https://a\\.b$', '$http_origin'],
      ['hostnames'],
    ]);
  });

  it('skips *_by_lua_block bodies with braces in strings, long brackets and comments', () => {
    const text = [
      'location / {',
      '  content_by_lua_block {',
      '    local a = "}" .. \'{\' -- }}}',
      '    local b = [==[ } ]] } ]==]',
      '    --[[ { multi',
      '       line } ]]',
      '    if x then ngx.say("{") end',
      '  }',
      '  add_header X y;',
      '}',
    ].join('\n');
    const [loc] = parse(text);
    expect(loc!.block!.map((d) => d.name)).toEqual(['content_by_lua_block', 'add_header']);
    expect(loc!.block![0]!.lua).toBe(true);
    expect(loc!.block![0]!.blockEnd!.line).toBe(8);
  });

  it('rejects an unterminated Lua block', () => {
    expect(parseError('access_by_lua_block {\n local s = "}" \n').message).toMatch(/unterminated \*_by_lua_block/);
  });

  it('reports unbalanced braces and missing semicolons', () => {
    expect(parseError('server {\n  listen 80;\n').message).toMatch(/"server" block opened here is not closed/);
    expect(parseError('server {\n  listen 80;\n').loc.line).toBe(1);
    expect(parseError('listen 80;\n}\n').message).toMatch(/no block is open/);
    expect(parseError('server {\n  listen 80\n}\n').message).toMatch(/"listen" is not terminated/);
    expect(parseError('add_header X y').message).toMatch(/unexpected end of file/);
    expect(parseError(';').message).toMatch(/unexpected ";"/);
    expect(parseError('{ }').message).toMatch(/unexpected "{"/);
  });

  it('reads if conditions as ngx_http_rewrite_if_condition does', () => {
    const cond = (src: string) => parseCondition(parse(`${src} { }`)[0]!);
    expect(cond('if ($http_origin ~* "^https://a$")')).toMatchObject({ op: '~*', regex: '^https://a$', left: { raw: '$http_origin' } });
    expect(cond('if ($request_method = OPTIONS)')).toMatchObject({ op: '=', right: { raw: 'OPTIONS' } });
    expect(cond('if ( $cors_ok )')).toMatchObject({ op: 'var', left: { raw: '$cors_ok' } });
    expect(cond('if (!-f $request_filename)')).toMatchObject({ op: 'file', test: '!-f' });
    expect(cond('if ($a !~ b)')).toMatchObject({ op: '!~', regex: 'b' });
    expect(cond('if $a')).toBeUndefined();
  });
});

describe('templates', () => {
  it('blanks Jinja tags without moving anything', () => {
    const text = 'server {\n  listen {{ port }};\n{% if x %}\n  add_header A "{{ origin }}";\n{% endif %}\n}\n';
    const out = stripTemplating(text, '/x/nginx.conf.j2');
    expect(out.template).toBe(true);
    expect(out.text.length).toBe(text.length);
    expect(out.text.split('\n').map((l) => l.length)).toEqual(text.split('\n').map((l) => l.length));
    const ds = parseNginx(out.text, 'f').directives;
    const add = [...walk(ds)].find((d) => d.name === 'add_header')!;
    expect(add.loc.line).toBe(4);
    expect(add.args[1]!.value).toMatch(/^\$\{TPL_+\}$/);
  });

  it('leaves ordinary files alone', () => {
    expect(stripTemplating('a {{ b }};', '/x/site.conf')).toEqual({ text: 'a {{ b }};', template: false });
  });
});

describe('candidates', () => {
  it('matches nginx file names', () => {
    for (const p of ['nginx.conf', 'deploy/nginx/site.conf', 'etc/sites-available/default', 'sites-enabled/app', 'conf.d/x', 'x.conf.template', 'a/b.tpl', 'nginx.conf.j2']) {
      expect(isNginxPath(p), p).toBe(true);
    }
    for (const p of ['app.js', 'settings.py', 'conf/readme.md', 'sites/x']) expect(isNginxPath(p), p).toBe(false);
  });

  it('sniffs header directives and includes', () => {
    expect(sniffNginx('add_header X y;')).toBe(true);
    expect(sniffNginx('http {\n  include conf.d/*.conf;\n}')).toBe(true);
    expect(sniffNginx('worker_processes 1;')).toBe(false);
  });

  it('tells nginx from Apache and ld.so.conf', () => {
    expect(looksLikeNginx('server {\n  listen 80;\n}')).toBe(true);
    expect(looksLikeNginx('<VirtualHost *:80>\n  Header set Access-Control-Allow-Origin "*"\n</VirtualHost>')).toBe(false);
    expect(looksLikeNginx('include /etc/ld.so.conf.d/*.conf')).toBe(false);
  });
});

/** A throwaway repository on disk. */
const tmp = mkdtempSync(path.join(os.tmpdir(), 'corslint-nginx-parser-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function repo(name: string, files: Record<string, string>): string {
  const dir = path.join(tmp, name);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  return dir;
}

function context(dir: string, runFiles?: string[]): ExtractContext {
  const ctx: ExtractContext = {
    root: dir,
    readFile: (abs) => {
      try {
        return readFileSync(abs, 'utf8');
      } catch {
        return undefined;
      }
    },
    displayPath: (abs) => path.relative(dir, abs).split(path.sep).join('/'),
  };
  if (runFiles) ctx.runFiles = new Set(runFiles.map((f) => path.join(dir, f)));
  return ctx;
}

const host = (dir: string) => {
  const c = context(dir);
  return { readFile: c.readFile, displayPath: c.displayPath, root: dir };
};

async function extract(dir: string, rel: string, runFiles?: string[]) {
  const abs = path.join(dir, rel);
  return nginxExtractor.extract({ path: rel, absPath: abs, text: readFileSync(abs, 'utf8') }, context(dir, runFiles));
}

describe('includes', () => {
  it('resolves against the configuration root, then the including file, with sorted globs', () => {
    const dir = repo('globs', {
      'nginx/nginx.conf': 'http {\n  include conf.d/*.conf;\n}\n',
      'nginx/conf.d/b.conf': 'server { listen 2; include snippets/cors.conf; }\n',
      'nginx/conf.d/a.conf': 'server { listen 1; include local.inc; }\n',
      'nginx/conf.d/local.inc': 'add_header X-Local 1;\n',
      'nginx/snippets/cors.conf': 'add_header Access-Control-Allow-Origin *;\n',
    });
    expect(configRoot(path.join(dir, 'nginx/conf.d/a.conf'), dir)).toBe(path.join(dir, 'nginx'));
    const tree = expandConfig(path.join(dir, 'nginx/nginx.conf'), host(dir));
    const names = [...walk(tree.directives)].filter((d) => d.name === 'add_header' || d.name === 'listen').map((d) => `${d.name} ${d.args[0]!.value} @${d.loc.file}:${d.loc.line}`);
    expect(names).toEqual([
      'listen 1 @nginx/conf.d/a.conf:1',
      'add_header X-Local @nginx/conf.d/local.inc:1',
      'listen 2 @nginx/conf.d/b.conf:1',
      'add_header Access-Control-Allow-Origin @nginx/snippets/cors.conf:1',
    ]);
    const cors = [...walk(tree.directives)].find((d) => d.args[0]?.value === 'Access-Control-Allow-Origin')!;
    expect(cors.includedVia!.map((d) => d.loc.file)).toEqual(['nginx/nginx.conf', 'nginx/conf.d/b.conf']);
    expect(tree.notes).toEqual([]);
  });

  it('maps absolute deployment paths onto the repository, never onto this machine', () => {
    const dir = repo('absolute', {
      'deploy/nginx.conf': 'http { include /etc/nginx/sites-enabled/*; include /etc/passwd; }\n',
      'deploy/sites-enabled/app': 'server { add_header A 1; }\n',
    });
    const tree = expandConfig(path.join(dir, 'deploy/nginx.conf'), host(dir));
    expect([...walk(tree.directives)].filter((d) => d.name === 'add_header').map((d) => d.loc.file)).toEqual(['deploy/sites-enabled/app']);
    expect(tree.notes.map((n) => [n.kind, n.target])).toEqual([['missing', '/etc/passwd']]);
  });

  it('notes a missing include and stops a cycle without failing', () => {
    const dir = repo('cycle', {
      'nginx.conf': 'http {\n  include a.conf;\n  include nowhere.conf;\n  include mime.types;\n  include none/*.conf;\n}\n',
      'a.conf': 'include b.conf;\nadd_header A 1;\n',
      'b.conf': 'include a.conf;\nadd_header B 1;\n',
    });
    const tree = expandConfig(path.join(dir, 'nginx.conf'), host(dir));
    expect(tree.notes.map((n) => `${n.kind} ${n.target} @${n.loc.file}:${n.loc.line}`)).toEqual(['cycle a.conf @b.conf:1', 'missing nowhere.conf @nginx.conf:3']);
    expect([...walk(tree.directives)].filter((d) => d.name === 'add_header').map((d) => d.args[0]!.value)).toEqual(['B', 'A']);
  });

  it('notes an included file that does not parse, and reports the top file', () => {
    const dir = repo('broken', { 'nginx.conf': 'http { include bad.conf; }\n', 'bad.conf': 'server {\n' });
    const tree = expandConfig(path.join(dir, 'nginx.conf'), host(dir));
    expect(tree.notes[0]).toMatchObject({ kind: 'unparsable', target: 'bad.conf' });
    expect(tree.notes[0]!.detail).toMatch(/^bad\.conf:1: /);
  });

  it('shows an included symlink under its real path', () => {
    const dir = repo('symlink', {
      'nginx.conf': 'http { include sites-enabled/*; }\n',
      'sites-available/app': 'server { add_header Access-Control-Allow-Origin *; }\n',
    });
    mkdirSync(path.join(dir, 'sites-enabled'));
    symlinkSync('../sites-available/app', path.join(dir, 'sites-enabled/app'));
    const tree = expandConfig(path.join(dir, 'nginx.conf'), host(dir));
    expect([...walk(tree.directives)].find((d) => d.name === 'add_header')!.loc.file).toBe('sites-available/app');
  });
});

describe('files included by other files', () => {
  const files = {
    'nginx.conf': 'http {\n  server {\n    listen 80;\n    location / {\n      include snippets/cors.conf;\n      return 200;\n    }\n  }\n}\n',
    'snippets/cors.conf': 'add_header Access-Control-Allow-Origin $http_origin always;\n',
  };

  it('are analysed once, by their includer, when both are linted', async () => {
    const dir = repo('dedupe', files);
    const top = await extract(dir, 'nginx.conf', ['nginx.conf', 'snippets/cors.conf']);
    const snippet = await extract(dir, 'snippets/cors.conf', ['nginx.conf', 'snippets/cors.conf']);
    expect(top.policies).toHaveLength(1);
    expect(top.policies[0]!.headers.map((h) => h.loc.file)).toEqual(['snippets/cors.conf']);
    expect(top.policies[0]!.scope).toEqual({ location: '/' });
    expect(snippet.policies).toEqual([]);
  });

  it("are analysed in their includer's context when only they are linted (pre-commit)", async () => {
    const dir = repo('alone', files);
    const snippet = await extract(dir, 'snippets/cors.conf', ['snippets/cors.conf']);
    expect(snippet.policies).toHaveLength(1);
    expect(snippet.policies[0]!.scope).toEqual({ location: '/' });
  });

  it('stand on their own when nothing includes them', async () => {
    const dir = repo('standalone', { 'snippets/cors.conf': files['snippets/cors.conf'] });
    const out = await extract(dir, 'snippets/cors.conf');
    expect(out.policies).toHaveLength(1);
    expect(out.policies[0]!.loc.file).toBe('snippets/cors.conf');
  });

  it('report their own parse errors even when included', async () => {
    const dir = repo('own-error', { 'nginx.conf': 'http { include x.conf; }\n', 'x.conf': 'add_header A "b;\n' });
    await expect(extract(dir, 'x.conf')).rejects.toThrow(ParseError);
  });

  it('are not reported when they are not nginx at all', async () => {
    const dir = repo('apache', { 'httpd.conf': '<VirtualHost *:80>\n  Header set Access-Control-Allow-Origin "*"\n</VirtualHost>\n' });
    expect(await extract(dir, 'httpd.conf')).toEqual({ policies: [] });
  });
});
