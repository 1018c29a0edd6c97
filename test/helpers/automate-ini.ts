// A historical automate.ini as Notepad wrote it on an old Windows server: Windows-1252, CRLF,
// comments, accents, blank lines, odd spacing, and a `numrec` in another section that must stay.
const CP1252: Record<string, number> = { '€': 0x80, '—': 0x97, 'œ': 0x9c, '’': 0x92 };

/** Encode text as Windows-1252 (Latin-1 plus the few characters the tests use from 0x80–0x9F). */
export function cp1252(text: string): Buffer {
  return Buffer.from(Array.from(text, (char) => CP1252[char] ?? char.charCodeAt(0)));
}

export function legacyAutomateIni(numrec: string): Buffer {
  return cp1252(
    [
      '; ordo — automate.ini de la mairie de Saint-Exemple (œuvre d’art, 10 €)',
      '[general]',
      'root=C:\\taskauto',
      'lang=fr',
      '',
      '[other]',
      'numrec=5555',
      '',
      '; compteur des retours DGFiP — ne pas modifier à la main',
      '[Dir:Rec]',
      '   ; dernier numéro utilisé',
      `NumRec = ${numrec}   ; réservé`,
      '',
      '[scenario:MANDATS]',
      'libellé=Chaîne spéciale éèàç',
      'source=T:\\rct',
      '',
    ].join('\r\n'),
  );
}
