// The `pastell` settings as the sessions use them: the API's address, the Authorization header, the
// preset table turned into fields, custom types; and what is read from Pastell's answers and acquits.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pastellWords } from '../../../src/protocols/pastell/api.js';
import { acquitReason } from '../../../src/protocols/pastell/follow.js';
import { PRESETS } from '../../../src/protocols/pastell/presets.js';
import { resolvePastellSettings } from '../../../src/protocols/pastell/settings.js';
import { fieldValue, unusableFieldTokens } from '../../../src/protocols/pastell/field-values.js';
import { pastellDeclaration } from '../../../src/protocols/pastell/options.js';
import { settingProblems } from '../../../src/protocols/options.js';

const profile = { url: 'https://pastell.example/', entity: '42', user: 'api', password: 'p:ss' };

describe('pastell settings', () => {
  it('the API under /api/v2, Basic or Bearer', () => {
    const basic = resolvePastellSettings(profile, {}, '/tmp');
    expect(basic.api.href).toBe('https://pastell.example/api/v2');
    expect(basic.authorization).toBe(`Basic ${Buffer.from('api:p:ss').toString('base64')}`);
    const bearer = resolvePastellSettings({ url: 'https://x.example/pastell', entity: 7, token: 'T0K' }, {}, '/tmp');
    expect(bearer.api.href).toBe('https://x.example/pastell/api/v2');
    expect(bearer.authorization).toBe('Bearer T0K');
    expect(bearer.entity).toBe('7');
  });

  it('helios-generique by default: its table, and the route checkboxes as on/off fields', () => {
    const settings = resolvePastellSettings(profile, { envoi_ged: 'oui', fields: { commentaire: '{stem}' } }, '/tmp');
    expect(settings.presetName).toBe('helios-generique');
    expect(settings.preset).toEqual(PRESETS['helios-generique']);
    expect(settings.fields).toEqual([
      ['envoi_signature_check', 'off'],
      ['envoi_tdt', 'on'],
      ['envoi_ged', 'on'],
      ['envoi_sae', 'off'],
      ['commentaire', '{stem}'],
    ]);
    expect(settings.afterRetrieve).toEqual({ action: 'delete' });
  });

  it('ls-helios names its checkboxes its own way', () => {
    const settings = resolvePastellSettings(profile, { type: 'ls-helios', envoi_tdt: 'non' }, '/tmp');
    expect(settings.fields).toEqual([
      ['envoi_signature', 'off'],
      ['envoi_tdt_helios', 'off'],
      ['envoi_depot', 'off'],
      ['envoi_sae', 'off'],
    ]);
    expect(settings.preset.action).toBe('orientation');
  });

  it('custom: the table from the options, no route checkboxes', () => {
    const settings = resolvePastellSettings(
      profile,
      { type: 'custom', documentType: 'pdf-generique', fileField: 'document', action: 'envoi', acknowledgedStates: 'termine;archive', receiptField: 'ar', inbox: 'helios-pes-retour', afterRetrieve: 'keep' },
      '/tmp',
    );
    expect(settings.preset).toEqual({
      documentType: 'pdf-generique',
      fileField: 'document',
      action: 'envoi',
      route: {},
      pes: false,
      acknowledgedStates: ['termine', 'archive'],
      refusedStates: [],
      errorStates: ['tdt-error', 'fatal-error'],
      receiptField: 'ar',
      ackField: undefined,
    });
    expect(settings.fields).toEqual([]);
    expect(settings.inbox).toBe('helios-pes-retour');
    expect(settings.afterRetrieve).toEqual({ action: 'keep' });
  });
});

describe('reading Pastell', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ordo-pastell-unit-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('its error messages, as written', () => {
    expect(pastellWords('{"status":"error","error-message":"L\'action « send-tdt »  n\'est pas permise : or_1 n\'est pas vérifiée"}')).toBe(
      'L\'action « send-tdt »  n\'est pas permise : or_1 n\'est pas vérifiée',
    );
    expect(pastellWords('<html><body><h1>502 Bad Gateway</h1></body></html>')).toBe('502 Bad Gateway');
  });

  it('the reasons of a KO acquit, in UTF-8 or ISO-8859-1; none in an OK one', async () => {
    const ko = join(dir, 'ko.xml');
    await writeFile(ko, '<?xml version="1.0" encoding="UTF-8"?><PES_ACQUIT><ACQUIT><ElementACQUIT><EtatAck V="2"/><DetailPiece><Erreur><LibelleAnoAck V="Montant &#233;rron&#233;"/></Erreur><Erreur><LibelleAnoAck V="Pi&#232;ce absente"/></Erreur></DetailPiece></ElementACQUIT></ACQUIT></PES_ACQUIT>');
    expect(await acquitReason(ko)).toBe('Montant érroné ; Pièce absente');
    const latin1 = join(dir, 'latin1.xml');
    await writeFile(latin1, Buffer.from('<?xml version="1.0" encoding="ISO-8859-1"?><n:PES_ACQUIT xmlns:n="http://www.minefi.gouv.fr/cp/helios/pes/Rec"><ACQUIT><ElementACQUIT><EtatAck V="2"/><DetailPiece><Erreur><LibelleAnoAck V="Exercice clôturé"/></Erreur></DetailPiece></ElementACQUIT></ACQUIT></n:PES_ACQUIT>', 'latin1'));
    expect(await acquitReason(latin1)).toBe('Exercice clôturé');
    const ok = join(dir, 'ok.xml');
    await writeFile(ok, '<PES_ACQUIT><ACQUIT><ElementACQUIT><EtatAck V="1"/></ElementACQUIT></ACQUIT></PES_ACQUIT>');
    expect(await acquitReason(ok)).toBeUndefined();
  });
});

describe('field values', () => {
  it('fill {name}, {stem} and the naming plan’s variables of the moment and the file', () => {
    const at = new Date(2026, 2, 4, 9, 7, 5);
    expect(fieldValue('{stem} [nomprofil] [annee]-[mois]-[jour] [heure]:[min]:[sec] [NOMFIC].[ext] {name}', 'PESALR2_X.xml', 'VILLE', at)).toBe(
      'PESALR2_X VILLE 2026-03-04 09:07:05 PESALR2_X.xml PESALR2_X.xml',
    );
  });

  it('refuse a counter, a received-name lookup or an unknown token, naming the field', () => {
    const problems = settingProblems(pastellDeclaration, {
      profile: { url: 'https://x.example/pastell', entity: '1', token: 'T' },
      options: { fields: { commentaire: 'PES [numrec]', autre: 'ok [annee]' } },
    });
    expect(problems).toEqual([expect.objectContaining({ where: 'options', key: 'fields', messageKey: 'protocol.pastell.setting.fieldToken', params: expect.objectContaining({ key: 'fields.commentaire', token: '[numrec]' }) })]);
    expect(unusableFieldTokens('[recherche] [anne] [annee]')).toEqual(['[anne]', '[recherche]']);
  });
});
