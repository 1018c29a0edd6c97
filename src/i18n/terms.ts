// Commander's placeholder names (`file`, `path`, `command`…) as a reader of the messages' language
// sees them: `fichier`, `chemin`, `commande` in French (cli.term.<word>); a word without one is kept.
import { hasMessage, t } from './index.js';

export function term(word: string): string {
  const key = `cli.term.${word}`;
  return hasMessage(key) ? t(key) : word;
}

/** Every `<word>`, `<word...>`, `[word]`, `[word...]` of `text` (`--config <path>`), translated. */
export function translateTerms(text: string): string {
  return text.replace(/([<[])([A-Za-z]+)((?:\.\.\.)?[>\]])/g, (_whole, open: string, word: string, close: string) => `${open}${term(word)}${close}`);
}
