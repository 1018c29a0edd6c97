// What is text for a configuration: whatever Notepad writes (UTF-8, UTF-16 with BOM, Windows-1252) is;
// an image, an archive or random bytes are not, and are refused before anything reads them.
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src/config/load.js';
import { decodeText, firstNonTextByte } from '../../../src/config/text-encoding.js';
import { cp1252 } from '../../helpers/automate-ini.js';
import { configError, tempFolder } from './temp.js';

const nonText = (bytes: Buffer) => firstNonTextByte(bytes, decodeText(bytes));

describe('firstNonTextByte', () => {
  it('accepts what editors write: tabs, CRLF, form feeds, accents in UTF-8, UTF-16 and Windows-1252', () => {
    const text = '[general]\r\n\tlabel=Célestin l’œuvre 10 €\f\r\n';
    expect(nonText(Buffer.from(text))).toBeUndefined();
    expect(nonText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))).toBeUndefined();
    expect(nonText(Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(text, 'utf16le').swap16()]))).toBeUndefined();
    expect(nonText(Buffer.from([...Buffer.from('label=Ville '), 0x92, 0x9c, 0x80]))).toBeUndefined();
  });

  it('finds the first control byte, and the bytes Windows-1252 has no character for', () => {
    expect(nonText(Buffer.from('PK\x03\x04', 'latin1'))).toEqual({ offset: 2, byte: 0x03 });
    expect(nonText(Buffer.from([0x61, 0x3d, 0x80, 0x81]))).toEqual({ offset: 3, byte: 0x81 });
    // UTF-16: the offset in bytes, BOM included.
    expect(nonText(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('ab\x00', 'utf16le')]))).toEqual({ offset: 6, byte: 0 });
  });
});

describe('loading a file that is not text', () => {
  it('is one problem naming the byte and its place; Windows-1252 and UTF-16 files still load', async () => {
    const dir = await tempFolder({
      'ordo.config.json': Buffer.from([0x7b, 0x0a, 0x00, 0x01, 0x7d]),
      'automate.ini': cp1252('[profile:VILLE]\r\nlabel=Mairie l’œuvre\r\n[scenario:PES]\r\nprofile=VILLE\r\nprotocol=local\r\n'),
      'utf16/ordo.config.yaml': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('profiles: { VILLE: {} }\nscenarios: { PES: { profile: VILLE, protocol: local } }\n', 'utf16le')]),
    });
    const error = await configError(loadConfigFile(join(dir, 'ordo.config.json'), {}));
    expect(error.problems.map((p) => p.message)).toEqual([`${join(dir, 'ordo.config.json')} is not a text file (byte 0x00 at position 2): a configuration is text, JSON, YAML or INI.`]);
    expect((await loadConfigFile(join(dir, 'automate.ini'), {})).profiles.VILLE?.label).toBe('Mairie l’œuvre');
    expect(Object.keys((await loadConfigFile(join(dir, 'utf16', 'ordo.config.yaml'), {})).scenarios)).toEqual(['PES']);
  });
});
