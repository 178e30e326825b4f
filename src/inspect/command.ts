import { Command, CommanderError, Option } from 'commander';
import { ConfigError } from '../config/index.js';
import { PathNotFoundError } from '../discover/files.js';
import { inspect } from './collect.js';
import { formatInspectJson } from './json.js';
import { formatInspectText } from './text.js';

export const INSPECT_FORMATS = ['text', 'json'] as const;

export interface InspectIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  isTTY: boolean;
}

/**
 * `corslint inspect [paths...]`: what corslint understood — each policy and
 * how it answers every probe. Exit 0, or 2 for usage and configuration errors.
 */
export async function runInspect(argv: string[], io: InspectIo): Promise<number> {
  const cmd = new Command()
    .name('corslint inspect')
    .description('Show each CORS policy corslint found and how it answers every probe origin.')
    .argument('[paths...]', 'files or directories to inspect', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(INSPECT_FORMATS).default('text'))
    .option('-c, --config <path>', 'configuration file (default: corslint.config.json at the project root)')
    .option('--no-color', 'disable colours (also NO_COLOR)')
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr, outputError: () => {} });
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0;
      io.stderr(`corslint: ${e.message.replace(/^error: /, '')}\n`);
      return 2;
    }
    throw e;
  }
  const paths = cmd.processedArgs[0] as string[];
  const opts = cmd.opts<{ format: (typeof INSPECT_FORMATS)[number]; config?: string; color: boolean }>();
  let result;
  try {
    result = await inspect(paths, opts.config ? { config: opts.config } : {});
  } catch (e) {
    if (e instanceof PathNotFoundError || e instanceof ConfigError) {
      io.stderr(`corslint: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
  const color = opts.color && !process.env.NO_COLOR && io.isTTY;
  io.stdout(opts.format === 'json' ? formatInspectJson(result) : formatInspectText(result, { color }));
  return 0;
}
