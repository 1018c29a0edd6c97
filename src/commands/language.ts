// The language of everything ordo writes, chosen before the program is built (its help), before the
// command line is parsed (usage errors) and before the configuration is loaded (its errors):
// --lang, else the configuration's `lang` (peeked, even in a file that will not load), else $ORDO_LANG,
// else the system's locale, else French (src/i18n/resolve-lang.ts). --version reads no configuration.
import { resolveLang, type Lang } from '../i18n/index.js';
import type { EarlyFlags } from './options.js';

export async function startLang(flags: EarlyFlags, env: NodeJS.ProcessEnv, cwd: string): Promise<Lang> {
  if (flags.lang !== undefined) return flags.lang;
  let config: Lang | undefined;
  if (!flags.version) {
    const { peekLang } = await import('../config/peek-lang.js');
    config = await peekLang({ config: flags.config, cwd, env });
  }
  return resolveLang({ config, env });
}
