import { describe, expect, it } from 'vitest';
import { copyableCommand } from '../../../src/core/copyable-command.js';

describe('a command people can copy', () => {
  it('leaves plain arguments alone and quotes the others for a POSIX shell', () => {
    expect(copyableCommand(['ordo', 'send', '--scenario', 'PES', '/srv/ordo/failed/PES/1/a.xml'], 'linux')).toBe('ordo send --scenario PES /srv/ordo/failed/PES/1/a.xml');
    expect(copyableCommand(['ordo', '/srv/mes fichiers/l’été $HOME `x` "q".xml'], 'linux')).toBe(`ordo '/srv/mes fichiers/l’été $HOME \`x\` "q".xml'`);
    expect(copyableCommand(["it's"], 'linux')).toBe(`'it'\\''s'`);
    expect(copyableCommand([''], 'linux')).toBe(`''`);
  });

  it('uses double quotes for cmd.exe, doubling a trailing backslash', () => {
    expect(copyableCommand(['ordo', 'C:\\ordo\\failed\\PES\\1\\a.xml'], 'win32')).toBe('ordo C:\\ordo\\failed\\PES\\1\\a.xml');
    expect(copyableCommand(['ordo', 'C:\\Mes documents\\a b.xml'], 'win32')).toBe('ordo "C:\\Mes documents\\a b.xml"');
    expect(copyableCommand(['C:\\Mes dossiers\\'], 'win32')).toBe('"C:\\Mes dossiers\\\\"');
  });
});
