import type { AddressInfo } from 'node:net';
import { afterAll, describe } from 'vitest';
import { fastifyExtractor } from '../../src/extractors/fastify/index.js';
import type { OracleTally } from './harness.js';
import { summaryLine } from './harness.js';
import { installedVersion, oracleTests } from './node-apps.js';

/**
 * The Fastify oracle: every runnable fixture of fixtures/fastify is started
 * as a real Fastify app with the real @fastify/cors (the versions pinned in
 * devDependencies), and each probe must get exactly corslint's answer.
 */

interface FastifyLike {
  listen(o: { port: number; host: string }): Promise<string>;
  close(): Promise<void>;
  server: { address(): AddressInfo | string | null };
}

const tally: OracleTally = { fixtures: 0, requests: 0, mismatches: [], skipped: [] };
const corsVersion = installedVersion('@fastify/cors') ?? 'missing';

describe('fastify oracle', () => {
  afterAll(() => {
    console.log(summaryLine('fastify', corsVersion, tally));
    console.log(`oracle: fastify ran @fastify/cors ${corsVersion} on fastify ${installedVersion('fastify') ?? 'missing'}`);
    if (tally.skipped.length) console.log(`oracle: fastify not run ${tally.skipped.length}: ${tally.skipped.join('; ')}`);
  });

  oracleTests(
    {
      fixtures: 'fixtures/fastify',
      extractor: fastifyExtractor,
      packageOf: (p) => (p.extra?.package?.known ? String(p.extra.package.value) : '@fastify/cors'),
      async start(exported, file) {
        const app = exported as FastifyLike;
        if (typeof app?.listen !== 'function' || !app.server) throw new Error(`${file} does not export a Fastify instance (see fixtures/fastify/README.md)`);
        await app.listen({ port: 0, host: '127.0.0.1' });
        const { port } = app.server.address() as AddressInfo;
        return { url: `http://127.0.0.1:${port}`, close: () => app.close() };
      },
    },
    tally,
    { fixtures: 15, requests: 300 },
  );
});
