// Commander's usage errors are English only: turn the common ones into the user's language.
import type { CommanderError } from 'commander';
import { t } from '../i18n/index.js';

export interface UsageText {
  message: string;
  fix?: string;
}

export function translateUsage(error: CommanderError, hint: string | undefined): UsageText {
  const raw = error.message.replace(/^error:\s*/, '');
  const quoted = [...raw.matchAll(/'([^']*)'/g)].map((m) => m[1] ?? '');
  const suggestion = /\(Did you mean ([^?]+)\?\)/.exec(raw)?.[1];
  const first = raw.split('\n')[0] ?? raw;
  let message: string;
  switch (error.code) {
    case 'commander.unknownOption':
      message = t('cli.usage.unknownOption', { option: quoted[0] });
      break;
    case 'commander.unknownCommand':
      message = t('cli.usage.unknownCommand', { command: quoted[0] });
      break;
    case 'commander.missingArgument':
      message = t('cli.usage.missingArgument', { argument: quoted[0] });
      break;
    case 'commander.optionMissingArgument':
      message = t('cli.usage.optionMissingArgument', { option: quoted[0] });
      break;
    case 'commander.missingMandatoryOptionValue':
      message = t('cli.usage.missingOption', { option: quoted[0] });
      break;
    case 'commander.excessArguments':
      message = t('cli.usage.excessArguments', { command: quoted[0] });
      break;
    case 'commander.invalidArgument': {
      const detail = /is invalid\.\s*(.*)$/s.exec(first)?.[1]?.trim() ?? '';
      const choices = /Allowed choices are (.+)\.$/.exec(detail)?.[1];
      const why = choices === undefined ? detail : t('cli.usage.choices', { choices });
      message = t('cli.usage.invalidValue', { option: quoted[0], value: quoted[1] }) + (why === '' ? '' : ` ${why}`);
      break;
    }
    case 'commander.help':
      message = t('cli.usage.noCommand');
      break;
    default:
      message = first;
  }
  if (suggestion !== undefined) message += ` ${t('cli.usage.didYouMean', { suggestion })}`;
  return hint === undefined ? { message } : { message, fix: hint };
}
