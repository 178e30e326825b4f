import type { MiddlewareSpec } from '../js-middleware/extractor.js';
import { fromProgram, middlewareExtractor } from '../js-middleware/extractor.js';
import { APP_FACTORIES, KOA_PACKAGES, koaPolicies } from './use.js';

const KOA: MiddlewareSpec = { name: 'koa', sniff: /@koa\/cors|kcors/, packages: KOA_PACKAGES, policies: koaPolicies, appFactories: APP_FACTORIES };

/** The ESTree half of the Koa extractor, for the CLI and the ESLint plugin. */
export const extractKoaFromProgram = fromProgram(KOA);

export const koaExtractor = middlewareExtractor(KOA);
