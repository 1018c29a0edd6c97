// Reading INI files the way Windows' GetPrivateProfileString does (the historical tools used it):
// `[section]` headers, `key=value` lines, whole-line comments starting with `;` or `#`, values taken
// verbatim after `=` (trimmed, surrounding quotes removed). The `ini` package is not used because it
// cuts values at `;` and `#` (our lists are `a;b`) and turns `\\server\share` into `\server\share`.
// Every entry keeps its 1-based line, for error messages.

export interface IniEntry {
  /** As written (trimmed). */
  key: string;
  value: string;
  line: number;
}

export interface IniSection {
  /** As written between the brackets (trimmed). */
  name: string;
  line: number;
  entries: IniEntry[];
  /** Lines that are neither a comment, a section header nor `key=value`. */
  invalidLines: number[];
}

export interface IniDocument {
  /** Entries and invalid lines before the first section header. */
  preamble: Omit<IniSection, 'name' | 'line'>;
  sections: IniSection[];
}

const SECTION_HEADER = /^\[([^\]]*)\]\s*(?:[;#].*)?$/;

export function parseIni(text: string): IniDocument {
  const document: IniDocument = { preamble: { entries: [], invalidLines: [] }, sections: [] };
  let current: Omit<IniSection, 'name' | 'line'> = document.preamble;
  text.split(/\r\n|\n|\r/).forEach((raw, index) => {
    const line = index + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith(';') || trimmed.startsWith('#')) return;
    if (trimmed.startsWith('[')) {
      const header = SECTION_HEADER.exec(trimmed);
      if (header) {
        const section: IniSection = { name: (header[1] ?? '').trim(), line, entries: [], invalidLines: [] };
        document.sections.push(section);
        current = section;
      } else {
        current.invalidLines.push(line);
      }
      return;
    }
    const equals = trimmed.indexOf('=');
    if (equals <= 0) {
      current.invalidLines.push(line);
      return;
    }
    current.entries.push({ key: trimmed.slice(0, equals).trim(), value: unquote(trimmed.slice(equals + 1).trim()), line });
  });
  return document;
}

function unquote(value: string): string {
  const quote = value[0];
  if (value.length >= 2 && (quote === '"' || quote === "'") && value.endsWith(quote)) return value.slice(1, -1);
  return value;
}
