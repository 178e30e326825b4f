import type { RequestListener } from 'node:http';
import { afterAll, describe } from 'vitest';
import { expressExtractor } from '../../src/extractors/express/index.js';
import type { OracleTally } from './harness.js';
import { listen, summaryLine } from './harness.js';
import { installedVersion, oracleTests } from './node-apps.js';

/**
 * The Express oracle: every runnable fixture (fixtures/express/README.md)
 * whose policies corslint knows completely is started as a real Express app
 * with the real `cors` package, and every probe request must get exactly the
 * CORS headers corslint's model predicts.
 */

const tally: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };
const corsVersion = installedVersion('cors') ?? 'missing';

describe('express oracle', () => {
  afterAll(() => {
    console.log(summaryLine('express', corsVersion, tally));
    if (tally.skipped.length) console.log(`oracle: express skipped ${tally.skipped.length}: ${tally.skipped.join('; ')}`);
  });

  oracleTests(
    {
      fixtures: 'fixtures/express',
      extractor: expressExtractor,
      // The extractor pins no cors version: every fixture runs on the installed one.
      packageOf: () => 'cors',
      start(exported, file) {
        if (typeof exported !== 'function') throw new Error(`${file} does not export an Express app (see fixtures/express/README.md)`);
        return listen(exported as RequestListener);
      },
    },
    tally,
    { fixtures: 20, requests: 150 },
  );
});
