// Which language ordo speaks (docs/cli.md, "Language"): --lang, else the configuration's `lang`, else
// $ORDO_LANG, else the system's locale, else French — ordo's users are French local authorities, and
// Windows services or the Task Scheduler run without any LANG.
import type { Lang } from './types.js';

export interface LangSources {
  /** --lang, when given. */
  flag?: Lang | undefined;
  /** The configuration's `lang`, when one was found (even in an otherwise invalid file). */
  config?: Lang | undefined;
  env: NodeJS.ProcessEnv;
  /** `Intl.DateTimeFormat().resolvedOptions().locale`, injectable for tests. */
  intlLocale?: string | undefined;
  platform?: NodeJS.Platform;
}

export function resolveLang(sources: LangSources): Lang {
  return sources.flag ?? sources.config ?? langOf(sources.env.ORDO_LANG) ?? systemLang(sources) ?? 'fr';
}

/**
 * The system's locale: on POSIX systems LC_ALL, LC_MESSAGES, then LANG (as gettext reads them); the
 * C/POSIX locales say nothing. `Intl` is asked on Windows only: elsewhere its ICU reads those same
 * variables and, when they say nothing, answers its own default (`en-US`, `en-US-u-va-posix`), which is
 * no choice of the user.
 */
export function systemLang(sources: Pick<LangSources, 'env' | 'intlLocale' | 'platform'>): Lang | undefined {
  const { env } = sources;
  const variable = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((value) => value !== undefined && value !== '');
  if (variable !== undefined) return localeLang(variable);
  if ((sources.platform ?? process.platform) !== 'win32') return undefined;
  return localeLang(sources.intlLocale ?? intlLocale());
}

/** `fr`, `FR`, `fr_FR.UTF-8`, `fr-CA` → fr; `en…` → en; anything else is not a language ordo speaks. */
export function langOf(value: string | undefined): Lang | undefined {
  const lower = value?.trim().toLowerCase() ?? '';
  if (/^fr(?:$|[-_.@])/.test(lower)) return 'fr';
  if (/^en(?:$|[-_.@])/.test(lower)) return 'en';
  return undefined;
}

/** A locale name: French for `fr*`, English for any other real locale; nothing for C, POSIX, `und`. */
function localeLang(locale: string | undefined): Lang | undefined {
  const lower = locale?.trim().toLowerCase() ?? '';
  if (lower === '' || lower === 'und' || /^(c|posix)(?:$|[.@])/.test(lower) || lower.includes('-u-va-posix')) return undefined;
  return langOf(lower) ?? 'en';
}

function intlLocale(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().locale;
  } catch {
    return undefined;
  }
}
