// The examples shown by `--help`: real command lines, a Windows .bat line and a cron line for every
// command. Command lines are the same in every language; the comments are translated.
import { t } from '../i18n/index.js';

interface Example {
  /** Catalog key of the comment. */
  say: string;
  lines: string[];
}

const BAT = 'C:\\taskauto\\automate.ini';
const ETC = '/etc/ordo/automate.ini';

const EXAMPLES: Record<string, Example[]> = {
  ordo: [
    { say: 'cli.ex.ordo.run', lines: ['ordo run'] },
    { say: 'cli.ex.ordo.check', lines: ['ordo config check --config C:\\taskauto\\automate.ini'] },
    { say: 'cli.ex.ordo.diagnose', lines: ['ordo diagnose --report diagnostic.txt'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd run --config ${BAT} --quiet`, 'if errorlevel 1 goto erreur'] },
    { say: 'cli.ex.cron', lines: [`*/10 * * * * ordo run --config ${ETC} --quiet >> /var/log/ordo.log 2>&1`] },
  ],
  scan: [
    { say: 'cli.ex.scan.all', lines: ['ordo scan'] },
    { say: 'cli.ex.scan.one', lines: ['ordo scan MANDATS TITRES'] },
    { say: 'cli.ex.scan.json', lines: ['ordo scan --json'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd scan --config ${BAT} > C:\\taskauto\\a-envoyer.txt`, 'if errorlevel 1 goto erreur'] },
    { say: 'cli.ex.cron', lines: [`0 * * * * ordo scan --config ${ETC} > /var/tmp/ordo-a-envoyer.txt`] },
  ],
  send: [
    { say: 'cli.ex.send.found', lines: ['ordo send'] },
    { say: 'cli.ex.send.given', lines: ['ordo send --scenario MANDATS C:\\finances\\export\\mandat_2024_12.xml'] },
    { say: 'cli.ex.send.stdin', lines: ['ordo scan MANDATS | ordo send --scenario MANDATS -'] },
    { say: 'cli.ex.send.force', lines: ['ordo send --scenario MANDATS --force mandat_2024_12.xml'] },
    { say: 'cli.ex.send.dry', lines: ['ordo send --dry-run --no-retrieve'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd send --config ${BAT} --scenario MANDATS "C:\\finances\\export\\mandat.xml" --quiet`, 'if errorlevel 1 goto erreur'] },
    { say: 'cli.ex.cron', lines: [`30 18 * * 1-5 ordo send --config ${ETC} --quiet`] },
  ],
  retrieve: [
    { say: 'cli.ex.retrieve.all', lines: ['ordo retrieve'] },
    { say: 'cli.ex.retrieve.list', lines: ['ordo retrieve --list --profile VILLE'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd retrieve --config ${BAT} --quiet`, 'if errorlevel 4 goto connexion'] },
    { say: 'cli.ex.cron', lines: [`0 7-19 * * 1-5 ordo retrieve --config ${ETC} --quiet`] },
  ],
  run: [
    { say: 'cli.ex.run.all', lines: ['ordo run'] },
    { say: 'cli.ex.run.some', lines: ['ordo run MANDATS TITRES'] },
    { say: 'cli.ex.run.dry', lines: ['ordo run --dry-run'] },
    { say: 'cli.ex.run.json', lines: ['ordo run --json > resultat.json'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd run --config ${BAT} --quiet`, 'if errorlevel 1 goto erreur'] },
    { say: 'cli.ex.cron', lines: [`*/10 * * * * ordo run --config ${ETC} --quiet >> /var/log/ordo.log 2>&1`] },
  ],
  watch: [
    { say: 'cli.ex.watch.all', lines: ['ordo watch'] },
    { say: 'cli.ex.watch.interval', lines: ['ordo watch MANDATS --interval 30s'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd watch --config ${BAT} --interval 60s`] },
    { say: 'cli.ex.cron.reboot', lines: [`@reboot ordo watch --config ${ETC} --quiet >> /var/log/ordo.log 2>&1`] },
  ],
  'check-pes': [
    { say: 'cli.ex.checkPes.one', lines: ['ordo check-pes PESALR2_21400999900017_261123_0930.xml'] },
    { say: 'cli.ex.checkPes.max', lines: ['ordo check-pes --max-size 128MB --json export\\*.xml'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd check-pes C:\\finances\\export\\mandat.xml --config ${BAT} --quiet`, 'if errorlevel 1 goto erreur'] },
    { say: 'cli.ex.cron', lines: [`55 17 * * 1-5 ordo check-pes --config ${ETC} --quiet /srv/finances/export/*.xml`] },
  ],
  'tedeco-request': [
    { say: 'cli.ex.tedeco.one', lines: ['ordo tedeco-request ETATCIVIL_202412.txt --scenario INSEE_EC'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd tedeco-request C:\\etatcivil\\EC202412.txt --config ${BAT} --scenario INSEE_EC`] },
    { say: 'cli.ex.cron', lines: [`0 22 1 * * ordo tedeco-request /srv/etatcivil/EC.txt --config ${ETC} --scenario INSEE_EC`] },
  ],
  rename: [
    { say: 'cli.ex.rename.dry', lines: ['ordo rename --scenario RETOURS --dry-run recus/VILLE/RCT290G.txt'] },
    { say: 'cli.ex.rename.format', lines: ['ordo rename --profile VILLE --format "LA[annee][numrec].020" RCT290G.txt'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd rename --config ${BAT} --scenario RETOURS C:\\taskauto\\recus\\VILLE\\RCT290G.txt`, 'if errorlevel 1 goto erreur'] },
    { say: 'cli.ex.cron', lines: [`15 20 * * * ordo rename --config ${ETC} --scenario RETOURS /srv/ordo/recus/VILLE/*.txt`] },
  ],
  logs: [
    { say: 'cli.ex.logs.show', lines: ['ordo logs show'] },
    { say: 'cli.ex.logs.day', lines: ['ordo logs show --date 20241203'] },
    { say: 'cli.ex.logs.purge', lines: ['ordo logs purge --older-than 90d'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd logs purge --config ${BAT} --older-than 90d --quiet`] },
    { say: 'cli.ex.cron', lines: [`0 3 * * 0 ordo logs purge --config ${ETC} --older-than 90d --quiet`] },
  ],
  'logs show': [
    { say: 'cli.ex.logs.show', lines: ['ordo logs show'] },
    { say: 'cli.ex.logs.day', lines: ['ordo logs show --date 20241203'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd logs show --config ${BAT} > C:\\taskauto\\dernier-passage.txt`] },
    { say: 'cli.ex.cron', lines: [`0 8 * * 1-5 ordo logs show --config ${ETC} | mail -s "ordo" support@example.fr`] },
  ],
  'logs purge': [
    { say: 'cli.ex.logs.purge', lines: ['ordo logs purge --older-than 90d'] },
    { say: 'cli.ex.logs.purgeDry', lines: ['ordo logs purge --older-than 30d --dry-run'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd logs purge --config ${BAT} --older-than 90d --quiet`] },
    { say: 'cli.ex.cron', lines: [`0 3 * * 0 ordo logs purge --config ${ETC} --older-than 90d --quiet`] },
  ],
  diagnose: [
    { say: 'cli.ex.diagnose.all', lines: ['ordo diagnose'] },
    { say: 'cli.ex.diagnose.report', lines: ['ordo diagnose MANDATS --report diagnostic.txt'] },
    { say: 'cli.ex.diagnose.probe', lines: ['ordo diagnose --write-probe --json'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd diagnose --config ${BAT} --report C:\\taskauto\\diagnostic.txt`, 'if errorlevel 6 goto probleme'] },
    { say: 'cli.ex.cron', lines: [`0 6 * * 1-5 ordo diagnose --config ${ETC} --quiet --report /var/tmp/ordo-diagnostic.txt || mail -s "ordo diagnose" support@example.fr < /var/tmp/ordo-diagnostic.txt`] },
  ],
  report: [
    { say: 'cli.ex.report.default', lines: ['ordo report'] },
    { say: 'cli.ex.report.some', lines: ['ordo report MANDATS --days 7 --output rapport-mandats.html'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd report --config ${BAT} --output C:\\taskauto\\rapport.html`] },
    { say: 'cli.ex.cron', lines: [`0 7 * * 1 ordo report --config ${ETC} --quiet --output /var/tmp/ordo-rapport.html`] },
  ],
  config: [
    { say: 'cli.ex.config.check', lines: ['ordo config check --config C:\\taskauto\\automate.ini'] },
    { say: 'cli.ex.config.show', lines: ['ordo config show'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd config check --config ${BAT} --quiet`, 'if errorlevel 3 goto config_invalide'] },
    { say: 'cli.ex.cron', lines: [`0 5 * * * ordo config check --config ${ETC} --quiet`] },
  ],
  'config check': [
    { say: 'cli.ex.config.check', lines: ['ordo config check --config C:\\taskauto\\automate.ini'] },
    { say: 'cli.ex.config.checkJson', lines: ['ordo config check --json'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd config check --config ${BAT} --quiet`, 'if errorlevel 3 goto config_invalide'] },
    { say: 'cli.ex.cron', lines: [`0 5 * * * ordo config check --config ${ETC} --quiet`] },
  ],
  'config show': [
    { say: 'cli.ex.config.show', lines: ['ordo config show'] },
    { say: 'cli.ex.config.showJson', lines: ['ordo config show --json'] },
    { say: 'cli.ex.bat', lines: [`call ordo.cmd config show --config ${BAT} > C:\\taskauto\\config-effective.txt`] },
    { say: 'cli.ex.cron', lines: [`0 5 * * 1 ordo config show --config ${ETC} > /var/tmp/ordo-config.txt`] },
  ],
};

export function examplesText(command: string): string {
  const examples = EXAMPLES[command] ?? [];
  if (examples.length === 0) return '';
  const body = examples.map((e) => [`  # ${t(e.say)}`, ...e.lines.map((l) => `  ${l}`)].join('\n')).join('\n');
  return `\n${t('cli.help.examples')}\n${body}\n`;
}

/** Shown after the program's help: the exit codes integrators script against. */
export function exitCodesText(): string {
  const codes = [0, 1, 2, 3, 4, 5, 6, 130];
  const lines = codes.map((code) => `  ${String(code).padStart(3)}  ${t(`cli.exit.${code}`)}`);
  return `\n${t('cli.help.exitCodes')}\n${lines.join('\n')}\n\n${t('cli.help.more')}\n`;
}
