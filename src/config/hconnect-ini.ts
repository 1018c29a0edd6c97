// hconnect.ini (historical, beside automate.ini) → the default naming plan (docs/naming.md):
// [CONFIG] horodatage / renommer / renommer_format, and the [RECHERCHE] table in file order.
// Keys are case-insensitive as they were for the historical tool; other keys and sections belonged to
// it and are ignored, except near-misses of ours (`horodatge`), which are reported as typos. A line
// that is not `key=value` (a comment wrapped by an editor, a stray word) is ignored by Windows'
// GetPrivateProfileString, which the historical tool read this file with: ordo ignores it too, with a
// warning naming the line.
import type { IniDocument, IniSection } from './ini.js';
import type { KeyLocation, KeyLocator, ProblemList } from './problems.js';
import { didYouMean } from './suggest.js';

const CONFIG_KEYS: Record<string, 'timestamp' | 'rename' | 'format'> = {
  horodatage: 'timestamp',
  renommer: 'rename',
  renommer_format: 'format',
};

export function mapHconnectIni(
  document: IniDocument,
  file: string,
  locator: KeyLocator,
  problems: ProblemList,
  warnings: ProblemList,
): Record<string, unknown> {
  const naming: Record<string, unknown> = {};
  const search: Array<{ key: string; value: string }> = [];
  const at = (section: IniSection, line: number, writtenKey: string): KeyLocation & { writtenKey: string } => ({
    file,
    section: section.name,
    line,
    writtenKey,
  });

  for (const section of document.sections) {
    const name = section.name.toUpperCase();
    if (name !== 'CONFIG' && name !== 'RECHERCHE') continue;
    for (const line of section.invalidLines) {
      warnings.add({ path: [], at: at(section, line, ''), message: 'config.warning.iniLineIgnored', fix: 'config.warning.iniLineIgnored.fix', params: { line } });
    }
    if (name === 'RECHERCHE') {
      locator.set(['naming', 'search'], at(section, section.line, `[${section.name}]`));
      for (const entry of section.entries) {
        const row = ['naming', 'search', search.length];
        for (const path of [row, [...row, 'key'], [...row, 'value']]) locator.set(path, at(section, entry.line, entry.key));
        search.push({ key: entry.key, value: entry.value });
      }
      continue;
    }
    locator.set(['naming'], at(section, section.line, `[${section.name}]`));
    for (const entry of section.entries) {
      const field = CONFIG_KEYS[entry.key.toLowerCase()];
      const where = at(section, entry.line, entry.key);
      if (field === undefined) {
        const suggestion = didYouMean(entry.key.toLowerCase(), Object.keys(CONFIG_KEYS));
        if (suggestion !== undefined) {
          problems.add({ path: [], at: where, message: 'config.key.unknown', fix: 'config.key.unknown.suggest', params: { suggestion, accepted: Object.keys(CONFIG_KEYS).join(', ') } });
        }
        continue;
      }
      if (naming[field] !== undefined) {
        const first = locator.locate(['naming', field]).line;
        problems.add({ path: ['naming', field], at: where, message: 'config.ini.duplicate', fix: 'config.ini.duplicate.fix', params: { first, section: section.name } });
        continue;
      }
      naming[field] = entry.value;
      locator.set(['naming', field], where);
    }
  }
  if (search.length > 0) naming.search = search;
  return naming;
}
