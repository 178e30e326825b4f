#!/usr/bin/env node
import { readFileSync } from 'node:fs';
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { ConfigError } from './config/index.js';
import { PathNotFoundError } from './discover/files.js';
import { lint } from './engine/lint.js';
import { FORMATS, format, type Format } from './formatters/index.js';
import { runInspect } from './inspect/command.js';

const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };

/** Usage and internal errors are one line on stderr and exit code 2 (RULES.md). */
class UsageError extends Error {}

function nonNegativeInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('expected a whole number of 0 or more.');
  return Number(value);
}

export async function main(argv: string[]): Promise<number> {
  // `inspect` is a subcommand; a directory named inspect is linted as `./inspect`.
  if (argv[0] === 'inspect') {
    return runInspect(argv.slice(1), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: Boolean(process.stdout.isTTY) });
  }
  const program = new Command()
    .name('corslint')
    .description('Static linter for CORS settings (Express, Laravel, Django, nginx, ...).')
    .argument('[paths...]', 'files or directories to lint', ['.'])
    .addOption(new Option('-f, --format <format>', 'output format').choices(FORMATS).default('stylish'))
    .option('--max-warnings <n>', 'exit 1 when there are more warnings than this', nonNegativeInt)
    .option('--quiet', 'report errors only')
    .option('-c, --config <path>', 'configuration file (default: corslint.config.json or "corslint" in package.json at the project root)')
    .option('--no-color', 'disable colours (also NO_COLOR)')
    .version(pkg.version, '-v, --version')
    .addHelpText('after', '\nCommands:\n  inspect [paths...]  show each policy and how it answers the probe origins')
    .exitOverride()
    .configureOutput({ outputError: () => {} });

  try {
    program.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) {
      if (e.exitCode === 0) return 0; // --help, --version
      throw new UsageError(e.message.replace(/^error: /, ''));
    }
    throw e;
  }
  const paths = program.processedArgs[0] as string[];
  const opts = program.opts<{ format: Format; maxWarnings?: number; quiet?: boolean; color: boolean; config?: string }>();
  const color = opts.color && !process.env.NO_COLOR && Boolean(process.stdout.isTTY);

  let result;
  try {
    result = await lint(paths, opts.config ? { config: opts.config } : {});
  } catch (e) {
    if (e instanceof PathNotFoundError || e instanceof ConfigError) throw new UsageError(e.message);
    throw e;
  }
  const findings = opts.quiet ? result.findings.filter((f) => f.severity === 'error') : result.findings;
  process.stdout.write(format(opts.format, findings, result.stats, { color }));

  const errors = result.findings.filter((f) => f.severity === 'error').length;
  const warnings = result.findings.length - errors;
  if (errors > 0) return 1;
  if (opts.maxWarnings !== undefined && warnings > opts.maxWarnings) {
    if (opts.format === 'stylish') process.stderr.write(`corslint found too many warnings (maximum: ${opts.maxWarnings}).\n`);
    return 1;
  }
  return 0;
}

// `corslint … | head` closes the pipe early: that is the reader's choice, not an error.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw e;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    const msg = e instanceof Error ? e.message : String(e);
    process.stderr.write(e instanceof UsageError ? `corslint: ${msg}\n` : `corslint: internal error: ${msg}\n`);
    process.exitCode = 2;
  },
);
