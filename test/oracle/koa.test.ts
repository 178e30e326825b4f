import type { RequestListener } from 'node:http';
import { afterAll, describe } from 'vitest';
import { koaExtractor } from '../../src/extractors/koa/index.js';
import type { OracleTally } from './harness.js';
import { listen, summaryLine } from './harness.js';
import { installedVersion, oracleTests } from './node-apps.js';

/**
 * The Koa oracle: every runnable fixture of fixtures/koa is served with
 * `http.createServer(app.callback())` by the real Koa and @koa/cors (the
 * versions pinned in devDependencies), and each probe must get exactly
 * corslint's answer. Fixtures on kcors or another @koa/cors version are
 * listed as not run.
 */

const tally: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };
const corsVersion = installedVersion('@koa/cors') ?? 'missing';

describe('koa oracle', () => {
  afterAll(() => {
    console.log(summaryLine('koa', corsVersion, tally));
    console.log(`oracle: koa ran @koa/cors ${corsVersion} on koa ${installedVersion('koa') ?? 'missing'}`);
    if (tally.skipped.length) console.log(`oracle: koa not run ${tally.skipped.length}: ${tally.skipped.join('; ')}`);
  });

  oracleTests(
    {
      fixtures: 'fixtures/koa',
      extractor: koaExtractor,
      packageOf: (p) => (p.extra?.package?.known ? String(p.extra.package.value) : '@koa/cors'),
      start(exported, file) {
        const app = exported as { callback?: () => RequestListener };
        if (typeof app?.callback !== 'function') throw new Error(`${file} does not export a Koa app (see fixtures/koa/README.md)`);
        return listen(app.callback());
      },
    },
    tally,
    { fixtures: 12, requests: 300 },
  );
});
