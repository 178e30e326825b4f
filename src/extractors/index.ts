import type { Extractor } from '../model/index.js';
import { deployExtractor } from './deploy/index.js';
import { djangoExtractor } from './django/index.js';
import { expressExtractor } from './express/index.js';
import { laravelExtractor, phpHeadersExtractor } from './laravel/index.js';
import { nginxExtractor } from './nginx/index.js';

/** Every framework adapter, in the order they are tried on a file (a file may feed several). */
export const extractors: Extractor[] = [expressExtractor, laravelExtractor, phpHeadersExtractor, djangoExtractor, nginxExtractor, deployExtractor];
