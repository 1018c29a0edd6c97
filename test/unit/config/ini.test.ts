import { describe, expect, it } from 'vitest';
import { parseIni } from '../../../src/config/ini.js';
import { decodeText } from '../../../src/config/text-encoding.js';
import { crlf, windows1252 } from './temp.js';

describe('decodeText', () => {
  it('reads UTF-8 without BOM', () => {
    expect(decodeText(Buffer.from('label=chaîne', 'utf8'))).toEqual({ text: 'label=chaîne', encoding: 'utf-8' });
  });

  it('reads UTF-8 with BOM and drops the BOM', () => {
    const bytes = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('label=Célestin', 'utf8')]);
    expect(decodeText(bytes)).toEqual({ text: 'label=Célestin', encoding: 'utf-8-bom' });
  });

  it('reads Windows-1252 when the bytes are not UTF-8', () => {
    expect(decodeText(windows1252('label=Célestin chaîne'))).toEqual({ text: 'label=Célestin chaîne', encoding: 'windows-1252' });
  });

  it('reads the Windows-1252 characters of 0x80–0x9F (’ œ € – …) correctly', () => {
    const bytes = Buffer.from([0x6c, 0x92, 0x9c, 0x75, 0x76, 0x72, 0x65, 0x20, 0x80, 0x20, 0x96, 0x20, 0x85, 0xe9]);
    expect(decodeText(bytes).text).toBe('l’œuvre € – …é');
  });

  it('reads UTF-16 with BOM (Notepad "Unicode")', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('label=chaîne', 'utf16le')]);
    expect(decodeText(bytes)).toEqual({ text: 'label=chaîne', encoding: 'utf-16le' });
  });
});

describe('parseIni', () => {
  const text = crlf(`; comment
# another comment
root=outside

[general]
root = C:\\taskauto  
lang=fr
filter=mandat*;*.xml ; not a comment
share=\\\\serveur\\partage
quoted="  spaced  "
this is not a key
[ Scenario:MANDATS ]   ; header comment
backup.ifExists=rename
empty=
`);

  it('keeps sections, keys, values verbatim and 1-based lines, with CRLF', () => {
    const document = parseIni(text);
    expect(document.preamble.entries).toEqual([{ key: 'root', value: 'outside', line: 3 }]);
    const [general, scenario] = document.sections;
    expect(general?.name).toBe('general');
    expect(general?.line).toBe(5);
    expect(general?.entries).toEqual([
      { key: 'root', value: 'C:\\taskauto', line: 6 },
      { key: 'lang', value: 'fr', line: 7 },
      { key: 'filter', value: 'mandat*;*.xml ; not a comment', line: 8 },
      { key: 'share', value: '\\\\serveur\\partage', line: 9 },
      { key: 'quoted', value: '  spaced  ', line: 10 },
    ]);
    expect(general?.invalidLines).toEqual([11]);
    expect(scenario?.name).toBe('Scenario:MANDATS');
    expect(scenario?.entries).toEqual([
      { key: 'backup.ifExists', value: 'rename', line: 13 },
      { key: 'empty', value: '', line: 14 },
    ]);
  });

  it('reads Windows-1252 bytes with CRLF into sections that keep their lines', () => {
    const bytes = windows1252('; compteur de la chaîne\n[general]\nroot=C:\\taskauto\n\n[Dir:Rec]\nNumRec=0042\n');
    const { text, encoding } = decodeText(bytes);
    expect(encoding).toBe('windows-1252');
    expect(text.startsWith('; compteur de la chaîne\r\n')).toBe(true);
    expect(parseIni(text).sections[1]).toEqual({ name: 'Dir:Rec', line: 5, entries: [{ key: 'NumRec', value: '0042', line: 6 }], invalidLines: [] });
  });
});
