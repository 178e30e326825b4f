import { describe, expect, it } from 'vitest';
import { lint } from '../../src/engine/lint.js';
import { REPO } from '../support/fixtures.js';

const messages = async (target: string) =>
  (await lint([target], { cwd: REPO })).findings.filter((f) => f.ruleId === 'unknown-cors-option').map((f) => f.message);

describe('unknown-cors-option says what the default does', () => {
  it('Express `origins`: the default * applies', async () => {
    const [m] = await messages('fixtures/express/misspelled-origins.js');
    expect(m).toContain('`origins`');
    expect(m).toContain('every website is allowed (Access-Control-Allow-Origin: *)');
    expect(m).toContain('Did you mean `origin`?');
  });

  it('Express `credential`: credentials stay off', async () => {
    const [m] = await messages('fixtures/express/misspelled-credential.cjs');
    expect(m).toContain('credentials stay off');
    expect(m).toContain('Did you mean `credentials`?');
  });

  it('says nothing about consequences when another setting decides the answer', async () => {
    const all = await messages('fixtures/django');
    const renamed = all.find((m) => m.startsWith('`CORS_ALLOWED_ORIGINS`'));
    expect(renamed).toBeDefined();
    expect(renamed).not.toContain(', so ');
  });
});
