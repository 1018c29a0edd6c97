// The global options (docs/cli.md), declared on the program (before the command name) and on every
// command (after it), and merged back into one object. Kept tiny: cli.ts loads it for --help too.
import { Option, type Command } from 'commander';
import { t, type Lang } from '../i18n/index.js';

export interface GlobalOptions {
  config: string | undefined;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  dryRun: boolean;
  profiles: string[];
  scenarios: string[];
  lang: Lang | undefined;
}

/**
 * How `--scenario`/`--profile` take their names. `variadic`: `--scenario A B`. `single`: one name per
 * occurrence (`--scenario A --scenario B`), where a variadic list would swallow what follows: the
 * command name (before it) or the files of `send`/`rename`. Both also accept `A,B`.
 */
export type NameStyle = 'variadic' | 'single';

export function addGlobalOptions(command: Command, names: NameStyle): Command {
  const heading = t('cli.help.globalOptions');
  const options = [
    new Option('-c, --config <path>', t('cli.opt.config')),
    new Option('--json', t('cli.opt.json')),
    new Option('-q, --quiet', t('cli.opt.quiet')),
    new Option('-v, --verbose', t('cli.opt.verbose')),
    new Option('--dry-run', t('cli.opt.dryRun')),
    nameOption('--profile', names, t('cli.opt.profile')),
    nameOption('--scenario', names, t('cli.opt.scenario')),
    new Option('--lang <lang>', t('cli.opt.lang')).choices(['fr', 'en']),
  ];
  for (const option of options) command.addOption(option.helpGroup(heading));
  return command;
}

function nameOption(flag: string, style: NameStyle, description: string): Option {
  const option = new Option(`${flag} ${style === 'variadic' ? '<name...>' : '<name>'}`, description);
  return option.argParser((value: string, previous: string[] | undefined) => [...(previous ?? []), ...splitNames(value)]);
}

function splitNames(value: string): string[] {
  return value.split(',').map((v) => v.trim()).filter((v) => v !== '');
}

/** The options given anywhere on the line (program, command group, command), plus positional scenario names. */
export function mergeOptions(command: Command, positionalScenarios: string[] = []): GlobalOptions {
  const chain: Command[] = [];
  for (let c: Command | null = command; c !== null; c = c.parent) chain.unshift(c);
  const merged: GlobalOptions = {
    config: undefined,
    json: false,
    quiet: false,
    verbose: false,
    dryRun: false,
    profiles: [],
    scenarios: [],
    lang: undefined,
  };
  for (const c of chain) {
    const o = c.opts<Record<string, unknown>>();
    if (typeof o.config === 'string') merged.config = o.config;
    if (o.lang === 'fr' || o.lang === 'en') merged.lang = o.lang;
    merged.json ||= o.json === true;
    merged.quiet ||= o.quiet === true;
    merged.verbose ||= o.verbose === true;
    merged.dryRun ||= o.dryRun === true;
    if (Array.isArray(o.profile)) merged.profiles.push(...(o.profile as string[]));
    if (Array.isArray(o.scenario)) merged.scenarios.push(...(o.scenario as string[]));
  }
  merged.scenarios.push(...positionalScenarios);
  merged.profiles = unique(merged.profiles);
  merged.scenarios = unique(merged.scenarios);
  return merged;
}

function unique(names: string[]): string[] {
  return [...new Set(names)];
}

/**
 * What can be known before commander has parsed anything: the language (--lang, or the configuration
 * named by --config), JSON for early errors, --version (which reads no configuration).
 */
export interface EarlyFlags {
  lang: Lang | undefined;
  config: string | undefined;
  json: boolean;
  quiet: boolean;
  verbose: boolean;
  version: boolean;
}

export function earlyFlags(args: readonly string[]): EarlyFlags {
  const flags: EarlyFlags = { lang: undefined, config: undefined, json: false, quiet: false, verbose: false, version: false };
  for (const [i, arg] of args.entries()) {
    if (arg === '--') break;
    const lang = valueOf(args, i, '--lang');
    if (lang === 'fr' || lang === 'en') flags.lang = lang;
    const config = valueOf(args, i, '--config') ?? valueOf(args, i, '-c');
    if (config !== undefined) flags.config = config;
    if (arg === '--version') flags.version = true;
    if (arg === '--json') flags.json = true;
    if (arg === '--quiet' || /^-[a-z]*q[a-z]*$/i.test(arg)) flags.quiet = true;
    if (arg === '--verbose' || /^-[a-z]*v[a-z]*$/i.test(arg)) flags.verbose = true;
  }
  return flags;
}

/** The value of `flag` at args[i]: `--flag value`, `--flag=value` (long flags) or `-cvalue` (short ones). */
function valueOf(args: readonly string[], i: number, flag: string): string | undefined {
  const arg = args[i] ?? '';
  if (arg === flag) return args[i + 1];
  if (flag.startsWith('--')) return arg.startsWith(`${flag}=`) ? arg.slice(flag.length + 1) : undefined;
  return arg.startsWith(flag) && arg.length > flag.length ? arg.slice(flag.length) : undefined;
}
