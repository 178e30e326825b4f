import { describe, expect, it } from 'vitest';
import { commandPort } from '../../src/extractors/deploy/commands.js';
import { deployExtractor } from '../../src/extractors/deploy/index.js';
import { parseYamlLite } from '../../src/extractors/deploy/yaml-lite.js';
import type { ExtractContext, ProjectFact } from '../../src/model/index.js';

const ctx: ExtractContext = { root: '/r', readFile: () => undefined, displayPath: (p) => p };

async function facts(path: string, text: string): Promise<ProjectFact[]> {
  expect(deployExtractor.matchesPath(path)).toBe(true);
  const out = await deployExtractor.extract({ path, absPath: `/r/${path}`, text }, ctx);
  expect(out.policies).toEqual([]);
  return out.facts ?? [];
}

describe('deploy facts (evidence for linking nginx to apps)', () => {
  it('reads ports from server commands, with their defaults', () => {
    expect(commandPort('uvicorn main:app --host 0.0.0.0 --port 8001')).toEqual({ port: 8001, via: 'uvicorn on port 8001' });
    expect(commandPort('["gunicorn", "app.wsgi", "--bind", "0.0.0.0:9000"]')).toMatchObject({ port: 9000 });
    expect(commandPort('gunicorn -b :7000 app:app')).toMatchObject({ port: 7000 });
    expect(commandPort('php artisan serve --host=0.0.0.0 --port=8080')).toMatchObject({ port: 8080 });
    expect(commandPort('python manage.py runserver 0.0.0.0:8002')).toMatchObject({ port: 8002 });
    expect(commandPort('python manage.py runserver')).toEqual({ port: 8000, via: 'manage.py runserver, default port 8000' });
    expect(commandPort('flask run')).toMatchObject({ port: 5000 });
    expect(commandPort('node server.js')).toBeUndefined();
  });

  it('reads EXPOSE and CMD from a Dockerfile', async () => {
    const f = await facts('api/Dockerfile', 'FROM python:3.12\nEXPOSE 8000/tcp 9000\nCMD ["uvicorn", "main:app", "--port", "8000"]\n');
    expect(f.map((x) => [x.kind, x.data.port, x.loc.line])).toEqual([
      ['listen', 8000, 2],
      ['listen', 9000, 2],
      ['listen', 8000, 3],
    ]);
  });

  it('reads a Procfile', async () => {
    const f = await facts('Procfile', 'web: php artisan serve --port=8000\nworker: php artisan queue:work\n');
    expect(f).toMatchObject([{ kind: 'listen', data: { port: 8000 }, loc: { line: 1 } }]);
  });

  it('reads docker-compose services: build context (or bind mount), ports and command', async () => {
    const text = [
      'services:',
      '  web:',
      '    image: nginx',
      '    ports: ["80:80"]',
      '  api:',
      '    build:',
      '      context: ./backend   # the Django app',
      '    command: gunicorn mysite.wsgi -b 0.0.0.0:8000',
      '    expose:',
      '      - "8000"',
      '  php:',
      '    image: php:8.3-fpm',
      '    volumes:',
      '      - ./src:/var/www/html',
      '      - type: volume',
      '        source: data',
      '        target: /data',
    ].join('\n');
    const f = await facts('deploy/docker-compose.yml', text);
    expect(f.map((x) => [x.kind, x.data, x.loc.line])).toEqual([
      ['compose-service', { name: 'web', ports: [80] }, 2],
      ['compose-service', { name: 'api', ports: [8000], context: 'deploy/backend' }, 5],
      ['listen', { port: 8000, via: 'gunicorn on port 8000 (docker-compose service api)', dir: 'deploy/backend' }, 8],
      ['compose-service', { name: 'php', ports: [], context: 'deploy/src' }, 11],
    ]);
  });

  it('parses the YAML subset compose files use', () => {
    const doc = parseYamlLite('a:\n  b: "x # not a comment" # a comment\n  c: [1, "2"]\n  d:\n    - e: 1\n      f: 2\n    - g\n');
    expect(doc.value).toEqual({ a: { b: 'x # not a comment', c: ['1', '2'], d: [{ e: '1', f: '2' }, 'g'] } });
    expect(doc.lines.get('a.d')).toBe(4);
  });
});
