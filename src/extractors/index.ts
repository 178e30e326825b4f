import type { Extractor } from '../model/index.js';
import { deployExtractor } from './deploy/index.js';
import { djangoExtractor } from './django/index.js';
import { expressExtractor } from './express/index.js';
import { flaskExtractor } from './flask/index.js';
import { fastifyExtractor } from './fastify/index.js';
import { koaExtractor } from './koa/index.js';
import { laravelExtractor, phpHeadersExtractor } from './laravel/index.js';
import { nginxExtractor } from './nginx/index.js';
import { starletteExtractor } from './starlette/index.js';

/** Every framework adapter, in the order they are tried on a file (a file may feed several). */
export const extractors: Extractor[] = [expressExtractor, fastifyExtractor, koaExtractor, laravelExtractor, phpHeadersExtractor, djangoExtractor, starletteExtractor, flaskExtractor, nginxExtractor, deployExtractor];
