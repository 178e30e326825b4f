import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { djangoExtractor } from '../../src/extractors/django/index.js';
import { cookLiteral } from '../../src/extractors/django/strings.js';
import { lowestAllowed, requirementsVersion } from '../../src/extractors/django/version.js';
import type { OriginEntry, Policy, Val } from '../../src/model/index.js';
import type { DjangoExtra } from '../../src/semantics/django.js';
import { djangoExtra } from '../../src/semantics/django.js';

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Write a small repository and lint it as one project; returns its Django policies. */
async function project(files: Record<string, string>): Promise<{ policies: Policy[]; root: string; findings: { ruleId: string; file: string; line: number }[] }> {
  const root = mkdtempSync(path.join(tmpdir(), 'corslint-django-'));
  dirs.push(root);
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), text);
  }
  const r = await lint([root], { cwd: root });
  return { policies: r.policies.filter((p) => p.framework === 'django'), root, findings: r.findings };
}

async function settings(text: string, name = 'settings.py'): Promise<Policy> {
  const { policies } = await project({ [name]: `INSTALLED_APPS = ["corsheaders"]\n${text}` });
  expect(policies).toHaveLength(1);
  return policies[0]!;
}

const value = <T>(v: Val<T>): T => {
  if (!v.known) throw new Error(`unknown: ${v.reason}`);
  return v.value;
};

const origins = (p: Policy) => value(p.origins).map(describe1);
function describe1(e: OriginEntry): string {
  if (e.kind === 'exact') return `exact ${e.origin}`;
  if (e.kind === 'regex') return `regex ${e.source}${e.flags ? `/${e.flags}` : ''}`;
  return e.kind;
}

describe('django extractor: candidates', () => {
  it('reads any .py path and sniffs for CORS settings or star imports', () => {
    expect(djangoExtractor.matchesPath('proj/settings/base.py')).toBe(true);
    expect(djangoExtractor.matchesPath('proj/settings.json')).toBe(false);
    expect(djangoExtractor.sniff('CORS_ALLOWED_ORIGINS = []')).toBe(true);
    expect(djangoExtractor.sniff('from .base import *')).toBe(true);
    expect(djangoExtractor.sniff('def view(request):\n    return 1\n')).toBe(false);
  });

  it('ignores a CORS_* module that shows no sign of Django (a Flask config)', async () => {
    const { policies } = await project({ 'config.py': 'CORS_ORIGINS = "*"\nCORS_SUPPORTS_CREDENTIALS = True\n' });
    expect(policies).toEqual([]);
  });

  it('throws a ParseError at the first syntax error', async () => {
    const { findings } = await project({ 'settings.py': 'CORS_ALLOWED_ORIGINS = ["https://a.example.com"]\nCORS_ALLOW_CREDENTIALS = = True\n' });
    expect(findings.map((f) => [f.ruleId, f.line])).toEqual([['parse-error', 2]]);
  });
});

describe('django extractor: values', () => {
  it('keeps every list entry with its own location', async () => {
    const p = await settings('CORS_ALLOWED_ORIGINS = [\n    "https://a.example.com",\n    \'https://b.example.com\',\n]\n');
    const entries = value(p.origins);
    expect(entries.map(describe1)).toEqual(['exact https://a.example.com', 'exact https://b.example.com']);
    expect(entries.map((e) => [e.loc.line, e.loc.column])).toEqual([
      [3, 5],
      [4, 5],
    ]);
  });

  it('cooks raw and normal string literals to the same regex source', async () => {
    const p = await settings('CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com$", "^https://\\\\w+\\\\.example\\\\.com$"]\n');
    expect(origins(p)).toEqual(['regex ^https://\\w+\\.example\\.com$', 'regex ^https://\\w+\\.example\\.com$']);
    expect(cookLiteral("'\\.'")).toBe('\\.');
    expect(cookLiteral("'a\\x41\\n'")).toBe('aA\n');
    expect(cookLiteral("R'\\d'")).toBe('\\d');
  });

  it('reads re.compile with flags', async () => {
    const p = await settings('import re\nCORS_ALLOWED_ORIGIN_REGEXES = [re.compile(r"^https://a\\.example\\.com$", re.I | re.VERBOSE)]\n');
    expect(origins(p)).toEqual(['regex ^https://a\\.example\\.com$/ix']);
  });

  it('allow-all is one `any` entry at the statement', async () => {
    const p = await settings('CORS_ALLOWED_ORIGINS = ["https://a.example.com"]\nCORS_ALLOW_ALL_ORIGINS = True\n');
    const [e] = value(p.origins);
    expect(e).toMatchObject({ kind: 'any', loc: { line: 3, column: 1, endLine: 3 } });
  });

  it('the new name wins over the old one, and the old names still work', async () => {
    const both = await settings('CORS_ORIGIN_ALLOW_ALL = True\nCORS_ALLOW_ALL_ORIGINS = False\nCORS_ORIGIN_WHITELIST = ["https://a.example.com"]\n');
    expect(origins(both)).toEqual(['exact https://a.example.com']);
    expect(both.unknownOptions).toEqual([]);
    const old = await settings('CORS_ORIGIN_REGEX_WHITELIST = (r"^https://a\\.example\\.com$",)\n');
    expect(origins(old)).toEqual(['regex ^https://a\\.example\\.com$']);
  });

  it('resolves names assigned earlier in the module', async () => {
    const p = await settings('DEBUG = False\nCORS_ALLOW_ALL_ORIGINS = DEBUG\nCORS_ALLOW_CREDENTIALS = not DEBUG\n');
    expect(value(p.origins)).toEqual([]);
    expect(value(p.credentials)).toBe(true);
  });

  it('follows +=, append, extend, insert, remove and list concatenation', async () => {
    const p = await settings(
      [
        'BASE = ("https://a.example.com",)',
        'CORS_ALLOWED_ORIGINS = list(BASE) + ["https://b.example.com"]',
        'CORS_ALLOWED_ORIGINS += ["https://c.example.com"]',
        'CORS_ALLOWED_ORIGINS.append("https://d.example.com")',
        'CORS_ALLOWED_ORIGINS.extend(("https://e.example.com",))',
        'CORS_ALLOWED_ORIGINS.insert(0, "https://z.example.com")',
        'CORS_ALLOWED_ORIGINS.remove("https://b.example.com")',
        'CORS_ALLOWED_ORIGINS = [*CORS_ALLOWED_ORIGINS, "https://f.example.com"]',
      ].join('\n'),
    );
    expect(origins(p).map((o) => o.slice(14, 15))).toEqual(['z', 'a', 'c', 'd', 'e', 'f']);
  });

  it('os.environ: [] has no fallback, .get and getenv fall back to the default (or None)', async () => {
    const strict = await settings('import os\nCORS_ALLOWED_ORIGINS = os.environ["ORIGINS"].split(",")\n');
    expect(strict.origins).toMatchObject({ known: false, variable: 'ORIGINS' });
    expect(strict.origins.known ? undefined : strict.origins.fallback).toBeUndefined();

    const dflt = await settings('import os\nCORS_ALLOWED_ORIGINS = os.environ.get("ORIGINS", "https://a.example.com, https://b.example.com").split(", ")\n');
    expect(dflt.origins).toMatchObject({ known: false, variable: 'ORIGINS' });
    expect((dflt.origins as { fallback?: OriginEntry[] }).fallback?.map(describe1)).toEqual(['exact https://a.example.com', 'exact https://b.example.com']);

    const getenv = await settings('from os import getenv\nCORS_ALLOW_CREDENTIALS = getenv("CREDS")\nCORS_ALLOW_ALL_ORIGINS = getenv("ALL", "False")\n');
    expect(getenv.credentials).toMatchObject({ known: false, fallback: false, variable: 'CREDS' });
    // A non-empty string is true, whatever it says.
    expect(getenv.origins).toMatchObject({ known: false, variable: 'ALL' });
    expect((getenv.origins as { fallback?: OriginEntry[] }).fallback?.map(describe1)).toEqual(['any']);
  });

  it('django-environ: typed getters, scheme defaults, defaults returned unparsed', async () => {
    const p = await settings(
      [
        'import environ',
        'env = environ.Env(CORS_CREDS=(bool, True))',
        'CORS_ALLOW_CREDENTIALS = env("CORS_CREDS")',
        'CORS_ALLOW_ALL_ORIGINS = env.bool("ALL", default=False)',
        'CORS_ALLOWED_ORIGINS = env.list("ORIGINS", default=["https://a.example.com"])',
        'CORS_EXPOSE_HEADERS = env.list("EXPOSE")',
      ].join('\n'),
    );
    expect(p.credentials).toMatchObject({ known: false, fallback: true, variable: 'CORS_CREDS' });
    expect((p.origins as { fallback?: OriginEntry[] }).fallback?.map(describe1)).toEqual(['exact https://a.example.com']);
    expect(p.exposeHeaders).toMatchObject({ known: false, variable: 'EXPOSE' });
    expect((p.exposeHeaders as { fallback?: unknown }).fallback).toBeUndefined();
  });

  it('python-decouple: the cast applies to the default (cast=bool, Csv(), int, lambda)', async () => {
    const p = await settings(
      [
        'from decouple import Csv, config',
        'CORS_ALLOW_ALL_ORIGINS = config("ALL", default="False", cast=bool)',
        'CORS_ALLOWED_ORIGINS = config("ORIGINS", default="https://a.example.com, https://b.example.com", cast=Csv())',
        'CORS_PREFLIGHT_MAX_AGE = config("MAX_AGE", default="600", cast=int)',
        'CORS_ALLOW_METHODS = config("METHODS", default="GET,POST", cast=lambda v: [m.strip() for m in v.split(",")])',
        'CORS_ALLOW_CREDENTIALS = config("CREDS")',
      ].join('\n'),
    );
    expect((p.origins as { fallback?: OriginEntry[] }).fallback?.map(describe1)).toEqual(['exact https://a.example.com', 'exact https://b.example.com']);
    expect(p.maxAge).toMatchObject({ known: false, fallback: 600 });
    expect(p.methods).toMatchObject({ known: false, fallback: ['GET', 'POST'] });
    expect(p.credentials).toMatchObject({ known: false, variable: 'CREDS' });
    expect((p.credentials as { fallback?: boolean }).fallback).toBeUndefined();
  });

  it('an `if` on an unknown flag gives each name it assigns an unknown value with the fallback branch', async () => {
    const p = await settings(
      [
        'import os',
        'DEBUG = os.environ.get("DEBUG", "0") == "1"',
        'if DEBUG:',
        '    CORS_ALLOW_ALL_ORIGINS = True',
        'else:',
        '    CORS_ALLOWED_ORIGINS = ["https://a.example.com"]',
      ].join('\n'),
    );
    expect(p.origins).toMatchObject({ known: false, variable: 'DEBUG' });
    expect((p.origins as { fallback?: OriginEntry[] }).fallback?.map(describe1)).toEqual(['exact https://a.example.com']);
    const on = await settings('DEBUG = True\nif DEBUG:\n    CORS_ALLOW_ALL_ORIGINS = True\n');
    expect(origins(on)).toEqual(['any']);
    expect(value(on.origins)[0]!.loc.line).toBe(4);
  });

  it('follows module-level helper functions: defaults, early returns, keyword arguments', async () => {
    const p = await settings(
      [
        'import os',
        'def env_flag(name, default=False):',
        "    '''A flag.'''",
        '    value = os.environ.get(name)',
        '    if value is None:',
        '        return default',
        '    return value.lower() in ("1", "true")',
        'def env_list(name: str, default: str = "") -> list:',
        '    raw = os.getenv(name, default)',
        '    return [x.strip() for x in raw.split(",") if x.strip()]',
        'CORS_ALLOW_CREDENTIALS = env_flag("CREDS", default=True)',
        'CORS_ALLOWED_ORIGINS = env_list("ORIGINS", "https://a.example.com, https://b.example.com")',
      ].join('\n'),
    );
    expect(p.credentials).toMatchObject({ known: false, variable: 'CREDS', fallback: true });
    const fb = (p.origins as { fallback?: OriginEntry[] }).fallback!;
    expect(fb.map(describe1)).toEqual(['exact https://a.example.com', 'exact https://b.example.com']);
    // What the helper computes is located at the call (line 13), not inside the helper.
    expect(fb[0]!.loc.line).toBe(13);
    // Functions it cannot follow (*args, loops) stay unknown without a fallback.
    const q = await settings('def pick(*names):\n    return True\nCORS_ALLOW_ALL_ORIGINS = pick("A")\n');
    expect(q.origins).toMatchObject({ known: false });
    expect((q.origins as { fallback?: unknown }).fallback).toBeUndefined();
  });

  it('a helper defined in a star-imported base works in the module that imports it', async () => {
    const { findings } = await project({
      'proj/settings/base.py':
        'import os\nINSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\n' +
        'def env_bool(name, default=False):\n    return os.getenv(name, str(default)).lower() == "true"\nCORS_ALLOW_CREDENTIALS = True\n',
      'proj/settings/dev.py': 'from .base import *\n\nCORS_ALLOW_ALL_ORIGINS = env_bool("CORS_ALL", True)\n',
    });
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['credentialed-reflected-origin proj/settings/dev.py:3']);
  });

  it('list comprehensions over env strings keep their fallback', async () => {
    const p = await settings('import os\nCORS_ALLOWED_ORIGINS = [o.strip() for o in os.getenv("O", "https://a.example.com ,").split(",") if o.strip()]\n');
    expect((p.origins as { fallback?: OriginEntry[] }).fallback?.map(describe1)).toEqual(['exact https://a.example.com']);
  });

  it('a string where a list belongs is iterated character by character, as Python does', async () => {
    const p = await settings('CORS_ALLOWED_ORIGIN_REGEXES = r"^https://a\\.example\\.com$"\n');
    expect(origins(p).slice(0, 3)).toEqual(['regex ^', 'regex h', 'regex t']);
  });

  it('reads the scope, max-age, methods, headers and MIDDLEWARE with locations', async () => {
    const p = await settings(
      [
        'MIDDLEWARE = [',
        '    "django.middleware.security.SecurityMiddleware",',
        '    "corsheaders.middleware.CorsMiddleware",',
        ']',
        'CORS_URLS_REGEX = r"^/api/"',
        'CORS_PREFLIGHT_MAX_AGE = 0',
        'CORS_ALLOW_METHODS = ("GET",)',
        'CORS_ALLOW_HEADERS = [*("x-one",), "x-two"]',
      ].join('\n'),
    );
    expect(p.scope).toEqual({ urlRegex: '^/api/' });
    expect(value(p.maxAge)).toBeNull();
    expect(value(p.methods)).toEqual(['GET']);
    expect(value(p.allowHeaders)).toEqual(['x-one', 'x-two']);
    const extra: DjangoExtra = djangoExtra(p);
    const mw = extra.middleware!;
    expect(mw.loc.line).toBe(2);
    expect(value(mw).map((m) => [m.name.split('.').pop(), m.loc.line])).toEqual([
      ['SecurityMiddleware', 3],
      ['CorsMiddleware', 4],
    ]);
    expect(p.methods.known && p.methods.isDefault).toBeFalsy();
  });

  it('unset settings are the package defaults, marked isDefault', async () => {
    const p = await settings('CORS_ALLOWED_ORIGINS = []\n');
    expect(p.methods).toMatchObject({ known: true, isDefault: true, value: ['DELETE', 'GET', 'OPTIONS', 'PATCH', 'POST', 'PUT'] });
    expect(p.maxAge).toMatchObject({ known: true, isDefault: true, value: 86400 });
    expect(p.credentials).toMatchObject({ known: true, isDefault: true, value: false });
    expect(p.version).toBeUndefined();
  });
});

describe('django extractor: unknown settings', () => {
  it('reports misspelled settings with the closest valid name', async () => {
    const p = await settings('CORS_ALLOWED_ORIGIN = ["https://a.example.com"]\nCORS_ALLOW_CREDENTIAL = True\nCORS_REPLACE_HTTPS_REFERER = True\n');
    expect(p.unknownOptions.map((o) => [o.key, o.suggestion, o.loc.line, o.loc.column, o.loc.endColumn])).toEqual([
      ['CORS_ALLOWED_ORIGIN', 'CORS_ALLOWED_ORIGINS', 2, 1, 20],
      ['CORS_ALLOW_CREDENTIAL', 'CORS_ALLOW_CREDENTIALS', 3, 1, 22],
    ]);
  });

  it('a CORS_* helper the settings read is not a setting', async () => {
    const p = await settings('CORS_HOSTS = ["a.example.com"]\nCORS_ALLOWED_ORIGINS = [f"https://{h}" for h in CORS_HOSTS]\n');
    expect(p.unknownOptions).toEqual([]);
    expect(origins(p)).toEqual(['exact https://a.example.com']);
  });

  it('before 3.5.0 the new names are ignored and reported with the old name', async () => {
    const { policies } = await project({
      'requirements.txt': 'django-cors-headers>=3.2,<3.5\n',
      'app/settings.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ORIGIN_WHITELIST = ["https://a.example.com"]\n',
    });
    const [p] = policies;
    expect(p!.version).toBe('3.2.0');
    expect(origins(p!)).toEqual(['exact https://a.example.com']);
    expect(p!.unknownOptions.map((o) => [o.key, o.suggestion])).toEqual([['CORS_ALLOW_ALL_ORIGINS', 'CORS_ORIGIN_ALLOW_ALL']]);
  });
});

describe('django extractor: split settings', () => {
  const base = 'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["corsheaders.middleware.CorsMiddleware"]\nCORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n';

  it('a star-imported base gives no policy of its own; importers see it with its own locations', async () => {
    const { policies, findings } = await project({
      'proj/settings/base.py': base,
      'proj/settings/dev.py': 'from .base import *\nDEBUG = True\n',
      'proj/settings/prod.py': 'from .base import *\nCORS_ALLOW_ALL_ORIGINS = False\nCORS_ALLOWED_ORIGINS = ["https://a.example.com"]\n',
    });
    expect(policies.map((p) => p.loc.file).sort()).toEqual(['proj/settings/dev.py', 'proj/settings/prod.py']);
    const dev = policies.find((p) => p.loc.file.endsWith('dev.py'))!;
    expect(value(dev.origins)[0]!.loc).toMatchObject({ file: 'proj/settings/base.py', line: 3 });
    expect(dev.loc).toMatchObject({ file: 'proj/settings/dev.py', line: 1 });
    const prod = policies.find((p) => p.loc.file.endsWith('prod.py'))!;
    expect(origins(prod)).toEqual(['exact https://a.example.com']);
    expect(value(prod.credentials)).toBe(true);
    expect(findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['credentialed-reflected-origin proj/settings/base.py:3']);
  });

  it('linting only the base (a pre-commit run) checks the settings modules built on it', async () => {
    const { root } = await project({
      'proj/settings/base.py': base,
      'proj/settings/dev.py': 'from .base import *\nDEBUG = True\n',
      'proj/settings/prod.py': 'from .base import *\nCORS_ALLOW_ALL_ORIGINS = False\n',
    });
    const r = await lint(['proj/settings/base.py'], { cwd: root });
    expect(r.policies.map((p) => p.loc.file).sort()).toEqual(['proj/settings/dev.py', 'proj/settings/prod.py']);
    expect(r.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['credentialed-reflected-origin proj/settings/base.py:3']);

    // A base holding only MIDDLEWARE (no CORS_ setting) still reaches the rule through prod.py.
    const mw = await project({
      'proj/settings/base.py': 'INSTALLED_APPS = ["corsheaders"]\nMIDDLEWARE = ["django.middleware.common.CommonMiddleware"]\n',
      'proj/settings/prod.py': 'from .base import *\nCORS_ALLOWED_ORIGINS = ["https://a.example.com"]\n',
    });
    const only = await lint(['proj/settings/base.py'], { cwd: mw.root });
    expect(only.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['django-middleware-order proj/settings/base.py:2']);
    expect(mw.findings.map((f) => `${f.ruleId} ${f.file}:${f.line}`)).toEqual(['django-middleware-order proj/settings/base.py:2']);
  });

  it('resolves dotted imports from an ancestor directory and package __init__ modules', async () => {
    const { policies } = await project({
      'shop/settings/__init__.py': '',
      'shop/settings/common/__init__.py': base,
      'shop/settings/production.py': 'from shop.settings.common import *\nCORS_ALLOW_CREDENTIALS = False\n',
    });
    expect(policies.map((p) => p.loc.file)).toEqual(['shop/settings/production.py']);
    expect(origins(policies[0]!)).toEqual(['any']);
    expect(value(policies[0]!.credentials)).toBe(false);
  });

  it('settings.py is always checked, even when a test settings module imports it', async () => {
    const { policies } = await project({
      'app/settings.py': base,
      'app/test_settings.py': 'from .settings import *\nCORS_ALLOW_ALL_ORIGINS = False\n',
    });
    expect(policies.map((p) => p.loc.file).sort()).toEqual(['app/settings.py', 'app/test_settings.py']);
  });

  it('an optional local_settings import in try/except is read when present, skipped when missing', async () => {
    const withLocal = await project({
      'app/settings.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://a.example.com"]\ntry:\n    from .local_settings import *\nexcept ImportError:\n    CORS_ALLOW_CREDENTIALS = True\n',
      'app/local_settings.py': 'CORS_ALLOWED_ORIGINS = ["https://b.example.com"]\n',
    });
    expect(withLocal.policies.map((p) => p.loc.file)).toEqual(['app/settings.py']);
    expect(origins(withLocal.policies[0]!)).toEqual(['exact https://b.example.com']);
    expect(value(withLocal.policies[0]!.credentials)).toBe(false);
    const without = await project({
      'app/settings.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://a.example.com"]\ntry:\n    from .local_settings import *\nexcept ImportError:\n    CORS_ALLOW_CREDENTIALS = True\n',
    });
    expect(value(without.policies[0]!.credentials)).toBe(true);
  });

  it('django-split-settings include() runs components in one namespace', async () => {
    const { policies } = await project({
      'srv/settings/__init__.py': 'from split_settings.tools import include, optional\ninclude("components/*.py", optional("local.py"))\n',
      'srv/settings/components/a_common.py': 'DEBUG = True\nINSTALLED_APPS = ["corsheaders"]\n',
      'srv/settings/components/b_cors.py': 'CORS_ALLOW_ALL_ORIGINS = DEBUG\n',
    });
    expect(policies.map((p) => p.loc.file)).toEqual(['srv/settings/__init__.py']);
    expect(value(policies[0]!.origins)[0]).toMatchObject({ kind: 'any', loc: { file: 'srv/settings/components/b_cors.py', line: 1 } });
  });

  it('include(*paths) with an environment-named file follows the default environment as a fallback', async () => {
    const { policies } = await project({
      'srv/settings/__init__.py': [
        'from os import environ',
        'from split_settings.tools import include, optional',
        "environ.setdefault('DJANGO_ENV', 'development')",
        "_ENV = environ['DJANGO_ENV']",
        "_base = ('components/common.py', f'environments/{_ENV}.py', optional('environments/local.py'))",
        'include(*_base)',
      ].join('\n'),
      'srv/settings/components/common.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://a.example.com"]\n',
      'srv/settings/environments/development.py': 'CORS_ALLOW_ALL_ORIGINS = True\n',
      'srv/settings/environments/production.py': 'CORS_ALLOW_CREDENTIALS = True\n',
    });
    // Only __init__.py is loadable: the components and environments are building blocks.
    expect(policies.map((p) => p.loc.file)).toEqual(['srv/settings/__init__.py']);
    const p = policies[0]!;
    expect(p.origins).toMatchObject({ known: false, variable: 'DJANGO_ENV' });
    expect((p.origins as { fallback?: OriginEntry[] }).fallback?.map(describe1)).toEqual(['any']);
    expect(value(p.credentials)).toBe(false);
  });

  it('an import cycle does not hang', async () => {
    const { policies } = await project({
      'p/settings/a.py': 'from .b import *\nINSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = ["https://a.example.com"]\n',
      'p/settings/b.py': 'from .a import *\n',
    });
    expect(policies.length).toBeLessThanOrEqual(1);
  });
});

describe('django extractor: version evidence', () => {
  it('lowest version a range admits', () => {
    expect(lowestAllowed('>=3.5,<4')).toBe('3.5.0');
    expect(lowestAllowed('==4.3.1')).toBe('4.3.1');
    expect(lowestAllowed('~=3.13')).toBe('3.13.0');
    expect(lowestAllowed('^3.14')).toBe('3.14.0');
    expect(lowestAllowed('<4')).toBeUndefined();
    expect(lowestAllowed('*')).toBeUndefined();
    expect(requirementsVersion('Django>=4.2\ndjango_cors_headers[extra] >= 4.0 ; python_version > "3.8"  # cors\n')).toBe('4.0.0');
  });

  it('a lockfile wins over the manifest range', async () => {
    const { policies } = await project({
      'pyproject.toml': '[project]\ndependencies = ["django-cors-headers>=3.5"]\n',
      'Pipfile.lock': JSON.stringify({ default: { 'django-cors-headers': { version: '==4.3.1' } } }),
      'src/app/settings.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = []\n',
    });
    expect(policies[0]!.version).toBe('4.3.1');
  });

  it('reads requirements/*.txt, pyproject (PEP 621), poetry.lock', async () => {
    const reqDir = await project({
      'requirements/base.txt': 'django-cors-headers==3.14.0\n',
      'app/settings.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = []\n',
    });
    expect(reqDir.policies[0]!.version).toBe('3.14.0');
    const pep = await project({
      'pyproject.toml': '[project]\nname = "x"\ndependencies = [\n  "Django>=4.2",\n  "django-cors-headers>=4.4",\n]\n',
      'app/settings.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = []\n',
    });
    expect(pep.policies[0]!.version).toBe('4.4.0');
    const poetry = await project({
      'poetry.lock': '[[package]]\nname = "django-cors-headers"\nversion = "4.0.0"\ndescription = "x"\n',
      'app/settings.py': 'INSTALLED_APPS = ["corsheaders"]\nCORS_ALLOWED_ORIGINS = []\n',
    });
    expect(poetry.policies[0]!.version).toBe('4.0.0');
  });
});
