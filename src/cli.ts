// The `ordo` program: declares every command and option of docs/cli.md, then hands the chosen command to
// its module, loaded only now (so that --version and --help load nothing but commander and the
// messages). The exit code is set here, once, from what the command or the failure returns.
import { Command, CommanderError, Option } from 'commander';
import { setLang, t } from './i18n/index.js';
import { addGlobalOptions, earlyFlags, mergeOptions, type EarlyFlags, type NameStyle } from './commands/options.js';
import { examplesText, exitCodesText } from './commands/help.js';
import { startLang } from './commands/language.js';
import { translatedHelpTerms } from './commands/help-terms.js';
import { buildInfo } from './shared/build-info.js';
import type { CommandContext } from './commands/context.js';
import type { PendingCommand } from './commands/execute.js';


interface CommandModule<I> {
  run(ctx: CommandContext, input: I): Promise<number>;
}

interface State {
  /** `ordo`, then each subcommand entered: for the "see --help" hint of usage errors. */
  path: string[];
  pending: PendingCommand | undefined;
}

export async function main(argv: string[]): Promise<void> {
  // `ordo scan | head -1`, `ordo --help | more`: the reader went away; that is not a failure of ours.
  process.stdout.on('error', ignoreBrokenPipe);
  const flags = earlyFlags(argv.slice(2));
  setLang(await startLang(flags, process.env, process.cwd()));
  const state: State = { path: ['ordo'], pending: undefined };
  let code: number;
  try {
    await buildProgram(state, flags).parseAsync(argv);
    code = state.pending === undefined ? 0 : await runPending(state.pending);
  } catch (error) {
    code = await failedToStart(error, flags, state);
  }
  process.exitCode = code;
}

async function runPending(pending: PendingCommand): Promise<number> {
  const { execute } = await import('./commands/execute.js');
  return execute(pending);
}

async function failedToStart(error: unknown, flags: EarlyFlags, state: State): Promise<number> {
  // --help and --version end with an "error" of code 0: the text is already written.
  if (error instanceof CommanderError && error.exitCode === 0) return 0;
  // No command given: commander has just printed the help on stderr, that says it all.
  if (error instanceof CommanderError && error.code === 'commander.help' && !flags.json) return 2;
  try {
    const { reportStartFailure } = await import('./commands/execute.js');
    return reportStartFailure(error, flags, t('cli.usage.hint', { command: state.path.join(' ') }));
  } catch (fatal) {
    process.stderr.write(`ordo: ${String(fatal)}\n`);
    return 1;
  }
}

function ignoreBrokenPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

export function packageVersion(): string {
  return buildInfo().version;
}

/** `ordo --version --verbose`: also the Node.js inside, the commit, whether this is the single executable. */
function versionText(verbose: boolean): string {
  if (!verbose) return packageVersion();
  const info = buildInfo();
  return t('cli.version.verbose', { version: info.version, node: info.node, commit: info.commit ?? '-', executable: t(info.executable ? 'cli.version.executable' : 'cli.version.package') });
}

const TITLES: Record<string, string> = {
  'Usage:': 'cli.help.usage',
  'Options:': 'cli.help.options',
  'Commands:': 'cli.help.commands',
  'Arguments:': 'cli.help.arguments',
};

function buildProgram(state: State, flags: EarlyFlags): Command {
  const program = new Command('ordo')
    .description(t('cli.description'))
    .version(versionText(flags.version && flags.verbose), '--version', t('cli.opt.version'))
    .addHelpOption(new Option('-h, --help', t('cli.opt.help')).helpGroup(t('cli.help.globalOptions')))
    .helpCommand('help [command]', t('cli.cmd.help'))
    .configureHelp({
      styleTitle: (title) => (TITLES[title] === undefined ? title : t(TITLES[title])),
      // Commander would append "(choices: …)" in English; our descriptions say it in the user's language.
      optionDescription: (option) => option.description,
      ...translatedHelpTerms,
    })
    .configureOutput({
      writeOut: (text) => process.stdout.write(text),
      writeErr: (text) => process.stderr.write(text),
      // Usage errors are rendered by src/output (translated, or as JSON with --json).
      outputError: () => undefined,
    })
    .exitOverride()
    .enablePositionalOptions();
  // Before the command name a list option takes one name at a time: `--scenario A run` must not
  // read "run" as a scenario.
  program.options.find((o) => o.long === '--version')?.helpGroup(t('cli.help.globalOptions'));
  addGlobalOptions(program, 'single');
  program.addHelpText('after', () => examplesText('ordo') + exitCodesText());
  trackSubcommands(program, state);

  const defer = <I>(name: string, command: Command, input: I, load: () => Promise<CommandModule<I>>, positional: string[] = []) => {
    state.pending = {
      name,
      options: mergeOptions(command, positional),
      version: packageVersion(),
      start: async (ctx) => (await load()).run(ctx, input),
    };
  };
  const nameStyles = new Map<Command, NameStyle>();
  const sub = (parent: Command, name: string, names: NameStyle, helpKey = name) => {
    const command = parent.command(name).description(t(`cli.cmd.${helpKey.replace(' ', '.')}`));
    nameStyles.set(command, names);
    command.addHelpText('after', () => examplesText(helpKey));
    return command;
  };

  sub(program, 'scan', 'variadic')
    .argument('[scenario...]', t('cli.arg.scenarios'))
    .action((scenarios: string[], _o, c: Command) => defer('scan', c, {}, () => import('./commands/scan.js'), scenarios));

  sub(program, 'send', 'single')
    .argument('[file...]', t('cli.arg.sendFiles'))
    .option('--no-retrieve', t('cli.opt.noRetrieve'))
    .option('--force', t('cli.opt.force'))
    .action((files: string[], o: { retrieve: boolean; force?: boolean }, c: Command) =>
      defer('send', c, { files, retrieve: o.retrieve, force: o.force === true }, () => import('./commands/send.js')),
    );

  sub(program, 'retrieve', 'variadic')
    .option('--list', t('cli.opt.list'))
    .action((o: { list?: boolean }, c: Command) => defer('retrieve', c, { list: o.list === true }, () => import('./commands/retrieve.js')));

  sub(program, 'run', 'variadic')
    .argument('[scenario...]', t('cli.arg.scenarios'))
    .action((scenarios: string[], _o, c: Command) => defer('run', c, {}, () => import('./commands/run.js'), scenarios));

  sub(program, 'watch', 'variadic')
    .argument('[scenario...]', t('cli.arg.scenarios'))
    .option('--interval <duration>', t('cli.opt.interval'))
    .action((scenarios: string[], o: { interval?: string }, c: Command) =>
      defer('watch', c, { interval: o.interval }, () => import('./commands/watch.js'), scenarios),
    );

  sub(program, 'tedeco-request', 'single', 'tedeco-request')
    .argument('<file>', t('cli.arg.tedecoFile'))
    .action((file: string, _o, c: Command) => defer('tedeco-request', c, { file }, () => import('./commands/tedeco-request.js')));

  sub(program, 'rename', 'single')
    .argument('<file...>', t('cli.arg.renameFiles'))
    .option('--format <format>', t('cli.opt.format'))
    .action((files: string[], o: { format?: string }, c: Command) =>
      defer('rename', c, { files, format: o.format }, () => import('./commands/rename.js')),
    );

  sub(program, 'check-pes', 'single')
    .argument('<file...>', t('cli.arg.pesFiles'))
    .option('--max-size <size>', t('cli.opt.maxSize'))
    .action((files: string[], o: { maxSize?: string }, c: Command) =>
      defer('check-pes', c, { files, maxSize: o.maxSize }, () => import('./commands/check-pes.js')),
    );

  const logs = sub(program, 'logs', 'variadic');
  trackSubcommands(logs, state);
  sub(logs, 'show', 'variadic', 'logs show')
    .option('--date <AAAAMMJJ>', t('cli.opt.date'))
    .action((o: { date?: string }, c: Command) => defer('logs show', c, { date: o.date }, () => import('./commands/logs-show.js')));
  sub(logs, 'purge', 'variadic', 'logs purge')
    .addOption(new Option('--older-than <duration>', t('cli.opt.olderThan')).makeOptionMandatory())
    .action((o: { olderThan: string }, c: Command) =>
      defer('logs purge', c, { olderThan: o.olderThan }, () => import('./commands/logs-purge.js')),
    );

  sub(program, 'diagnose', 'variadic')
    .argument('[scenario...]', t('cli.arg.scenarios'))
    .option('--report <file>', t('cli.opt.report'))
    .option('--write-probe', t('cli.opt.writeProbe'))
    .option('--accept-new-host-key <scenario>', t('cli.opt.acceptNewHostKey'))
    .action((scenarios: string[], o: { report?: string; writeProbe?: boolean; acceptNewHostKey?: string }, c: Command) =>
      defer(
        'diagnose',
        c,
        { report: o.report, writeProbe: o.writeProbe === true, acceptNewHostKey: o.acceptNewHostKey },
        () => import('./commands/diagnose.js'),
        scenarios,
      ),
    );

  sub(program, 'report', 'variadic')
    .argument('[scenario...]', t('cli.arg.scenarios'))
    .option('--days <n>', t('cli.opt.days'))
    .option('--output <file>', t('cli.opt.output'))
    .action((scenarios: string[], o: { days?: string; output?: string }, c: Command) =>
      defer('report', c, { days: o.days, output: o.output }, () => import('./commands/report.js'), scenarios),
    );

  const config = sub(program, 'config', 'variadic');
  trackSubcommands(config, state);
  sub(config, 'check', 'variadic', 'config check').action((_o, c: Command) =>
    defer('config check', c, {}, () => import('./commands/config-check.js')),
  );
  sub(config, 'show', 'variadic', 'config show').action((_o, c: Command) =>
    defer('config show', c, {}, () => import('./commands/config-show.js')),
  );

  // Last, so that each command's own options come first in its help.
  for (const [command, names] of nameStyles) addGlobalOptions(command, names);
  return program;
}

function trackSubcommands(command: Command, state: State): void {
  command.hook('preSubcommand', (_parent, subcommand) => {
    state.path.push(subcommand.name());
  });
}
