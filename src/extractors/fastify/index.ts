import type { MiddlewareSpec } from '../js-middleware/extractor.js';
import { fromProgram, middlewareExtractor } from '../js-middleware/extractor.js';
import { APP_FACTORIES, FASTIFY_PACKAGES, fastifyPolicies } from './register.js';

const FASTIFY: MiddlewareSpec = { name: 'fastify', sniff: /@fastify\/cors|fastify-cors/, packages: FASTIFY_PACKAGES, policies: fastifyPolicies, appFactories: APP_FACTORIES };

/** The ESTree half of the Fastify extractor, for the CLI and the ESLint plugin. */
export const extractFastifyFromProgram = fromProgram(FASTIFY);

export const fastifyExtractor = middlewareExtractor(FASTIFY);
