// Commander's usage errors are English only: turn the common ones into the user's language.
import type { CommanderError } from 'commander';
import { getLang, t } from '../i18n/index.js';
import { term, translateTerms } from '../i18n/terms.js';

export interface UsageText {
  message: string;
  fix?: string;
}

export function translateUsage(error: CommanderError, hint: string | undefined): UsageText {
  const raw = error.message.replace(/^error:\s*/, '');
  // The option named first, its placeholder in the reader's language (`--older-than <durée>`); the values as typed.
  const quoted = [...raw.matchAll(/'([^']*)'/g)].map((m, index) => (index === 0 ? translateTerms(m[1] ?? '') : (m[1] ?? '')));
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
      message = t('cli.usage.missingArgument', { argument: term(quoted[0] ?? '') });
      break;
    case 'commander.conflictingOption':
      message = t('cli.usage.conflictingOption', { option: quoted[0], other: quoted[1] });
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
      // Commander's own words are English: a French reader gets ours (the code says which, for support).
      message = getLang() === 'en' ? first : `${t('cli.usage.invalid')} (${error.code})`;
  }
  if (suggestion !== undefined) message += ` ${t('cli.usage.didYouMean', { suggestion })}`;
  return hint === undefined ? { message } : { message, fix: hint };
}
