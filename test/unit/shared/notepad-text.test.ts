// Logs and reasons are opened in Notepad on Windows: CRLF there, LF elsewhere, whatever the text had.
import { describe, expect, it } from 'vitest';
import { lineEnd, notepadText } from '../../../src/shared/notepad-text.js';

describe('notepadText', () => {
  it('writes CRLF on Windows, without doubling the CR of lines that already had one', () => {
    expect(notepadText('ligne 1\nligne 2\r\nligne 3\n', 'win32')).toBe('ligne 1\r\nligne 2\r\nligne 3\r\n');
    expect(lineEnd('win32')).toBe('\r\n');
  });

  it('writes LF elsewhere', () => {
    expect(notepadText('ligne 1\r\nligne 2\n', 'linux')).toBe('ligne 1\nligne 2\n');
    expect(lineEnd('linux')).toBe('\n');
  });
});
