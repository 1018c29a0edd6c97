#!/usr/bin/env node
// `npm run demo`: a full local cycle on the bundled sample files, in a temporary folder.
// The "partner" is a plain folder (the local protocol), then an SFTP server started on 127.0.0.1
// for the demo, so nothing leaves this machine. It speaks the language ordo chooses (ORDO_LANG, else
// the system's locale, else French) and removes its folder when it ends, however it ends, unless
// ORDO_DEMO_KEEP=1.
import { cpSync, mkdtempSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const project = join(here, '..');
const ordo = join(project, 'bin', 'ordo.js');
// The resolver ordo itself uses (built by `npm run demo`): the narration and ordo speak the same language.
const { resolveLang } = await import(pathToFileURL(join(project, 'dist', 'i18n', 'resolve-lang.js')).href);
const lang = resolveLang({ env: process.env });
const NARRATION = {
  en: {
    folder: (dir) => `Demo folder: ${dir}`,
    exitCode: (code) => `(exit code ${code})`,
    journalIndex: "the journal's index",
    step1: '1. What is ready to send (the .tmp file is a temporary file of the producing software: ignored)',
    step2: '2. One full cycle: recover, scan, send (backup + journal), retrieve (naming plan)',
    step3: '3. Files afterwards',
    step4: '4. logs/last.log',
    step5: '5. A second run: nothing to do (exit code 0), nothing sent twice',
    step6: '6. SFTP round trip with DILA: an SFTP server started for the demo on 127.0.0.1 holds a télédossier; a status return goes back',
    step7: '7. XFB round trip with the Trésorerie: the XFB/Gateway test peer (HTTPS, test CA) receives a PES file; the return waiting there comes back, renamed by the naming plan',
    step8: '8. logs/last.log of that run (the credentials are masked, as the historical log did)',
    step9: '9. Pastell round trip: a PES goes to the Trésorerie through a tiers de télétransmission; its acquit comes back later',
    step10: '10. Later, the next run follows the document and brings its acquit back',
    pastellHolds: (id, type, state) => `Pastell holds document ${id} (${type}), state ${state}: the Trésorerie has not answered yet.`,
    received: 'Received:',
    sftpServed: "SFTP server's folder afterwards (the télédossier was taken, the status return arrived):",
    gatewayReceived: (d) => `The gateway received ${d.name} (${d.size} bytes, partner ${d.partner}, application ${d.application}).`,
    gatewayState: (name, state) => `${name} is now in state ${state} at the gateway.`,
    removed: (dir) => `Demo folder ${dir} removed (ORDO_DEMO_KEEP=1 keeps it).`,
    kept: (dir) => `Demo folder kept (ORDO_DEMO_KEEP=1): ${dir}`,
  },
  fr: {
    folder: (dir) => `Dossier de la démonstration\u00a0: ${dir}`,
    exitCode: (code) => `(code de sortie ${code})`,
    journalIndex: 'l’index du journal',
    step1: '1. Ce qui est prêt à envoyer (le fichier .tmp est un fichier temporaire du logiciel producteur\u00a0: ignoré)',
    step2: '2. Un passage complet\u00a0: reprise, détection, envoi (sauvegarde + journal), récupération (plan de nommage)',
    step3: '3. Les fichiers après le passage',
    step4: '4. logs/last.log',
    step5: '5. Un second passage\u00a0: rien à faire (code de sortie 0), rien n’est envoyé deux fois',
    step6: '6. Aller-retour SFTP avec la DILA\u00a0: un serveur SFTP lancé pour la démonstration sur 127.0.0.1 détient un télédossier\u00a0; un retour d’état repart',
    step7: '7. Aller-retour XFB avec la Trésorerie\u00a0: la passerelle XFB de test (HTTPS, autorité de test) reçoit un fichier PES\u00a0; le retour qui y attend revient, renommé par le plan de nommage',
    step8: '8. logs/last.log de ce passage (les identifiants sont masqués, comme le faisait le journal historique)',
    step9: '9. Aller-retour Pastell\u00a0: un PES part à la Trésorerie par un tiers de télétransmission\u00a0; son acquit revient plus tard',
    step10: '10. Plus tard, le passage suivant suit le document et rapporte son acquit',
    pastellHolds: (id, type, state) => `Pastell détient le document ${id} (${type}), étape ${state}\u00a0: la Trésorerie n’a pas encore répondu.`,
    received: 'Reçus\u00a0:',
    sftpServed: 'Le dossier du serveur SFTP après le passage (le télédossier a été pris, le retour d’état est arrivé)\u00a0:',
    gatewayReceived: (d) => `La passerelle a reçu ${d.name} (${d.size} octets, partenaire ${d.partner}, application ${d.application}).`,
    gatewayState: (name, state) => `${name} est maintenant à l’état ${state} sur la passerelle.`,
    removed: (dir) => `Dossier de la démonstration ${dir} supprimé (ORDO_DEMO_KEEP=1 le conserve).`,
    kept: (dir) => `Dossier de la démonstration conservé (ORDO_DEMO_KEEP=1)\u00a0: ${dir}`,
  },
};
const text = NARRATION[lang];

const work = mkdtempSync(join(tmpdir(), 'ordo-demo-'));
const keep = process.env.ORDO_DEMO_KEEP === '1';
// However the demo ends (done, failed, Ctrl-C), its folder goes, unless asked to keep it.
let cleaned = false;
const cleanUp = () => {
  if (cleaned) return;
  cleaned = true;
  if (keep) {
    process.stdout.write(`\n${text.kept(work)}\n`);
    return;
  }
  rmSync(work, { recursive: true, force: true, maxRetries: 3 });
  process.stdout.write(`\n${text.removed(work)}\n`);
};
process.on('exit', cleanUp);
for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143]]) process.on(signal, () => process.exit(code));

const dirs = {
  export: join(work, 'finances', 'export'),
  partnerInbox: join(work, 'tresorerie', 'depot'),
  partnerOutbox: join(work, 'tresorerie', 'retours'),
};
for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
cpSync(join(project, 'fixtures', 'demo', 'outgoing'), dirs.export, { recursive: true });
cpSync(join(project, 'fixtures', 'demo', 'partner-outbox'), dirs.partnerOutbox, { recursive: true });

const config = {
  root: './ordo-data',
  profiles: { VILLE: { label: 'Ville de Saint-Exemple', insee: '40999' } },
  naming: { timestamp: true, search: { ACQUIT: 'acquittements', RCT: 'retours' } },
  scenarios: {
    PES: {
      profile: 'VILLE',
      protocol: 'local',
      source: './finances/export',
      filter: ['*.xml'],
      settle: '0s',
      backup: { ifExists: 'rename' },
      options: { target: './tresorerie/depot', inbox: './tresorerie/retours', afterRetrieve: 'delete' },
    },
  },
};
writeFileSync(join(work, 'ordo.config.json'), `${JSON.stringify(config, null, 2)}\n`);

const say = (text) => process.stdout.write(`\n\u001b[1m${text}\u001b[0m\n`);
const ordoRun = (...args) => {
  process.stdout.write(`$ ordo ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [ordo, ...args], { cwd: work, stdio: 'inherit', env: { ...process.env } });
  process.stdout.write(`${text.exitCode(result.status)}\n`);
  return result.status;
};
/** The same, without blocking this process (a test peer it started must go on answering). */
const ordoRunAsync = async (...args) => {
  process.stdout.write(`$ ordo ${args.join(' ')}\n`);
  const child = spawn(process.execPath, [ordo, ...args], { cwd: work, stdio: 'inherit', env: { ...process.env } });
  const [status] = await once(child, 'exit');
  process.stdout.write(`${text.exitCode(status)}\n`);
  return status;
};
const tree = (dir) => {
  const out = [];
  const walk = (d) => {
    for (const name of readdirSync(d).sort()) {
      const path = join(d, name);
      // The journal index is derived data (its bucket files say nothing to a reader): shown as one line.
      if (name === 'journal-index') out.push(`  ${relative(work, path)}/ (${text.journalIndex})`);
      else if (statSync(path).isDirectory()) walk(path);
      else out.push(`  ${relative(work, path)}`);
    }
  };
  walk(dir);
  return out.join('\n');
};

say(text.folder(work));
say(text.step1);
ordoRun('scan');
say(text.step2);
const code = ordoRun('run');
say(text.step3);
process.stdout.write(`${tree(work)}\n`);
say(text.step4);
process.stdout.write(readFileSync(join(work, 'ordo-data', 'logs', 'last.log'), 'utf8'));
say(text.step5);
ordoRun('run');

say(text.step6);
const sftpCode = await sftpRoundTrip();
process.exitCode = code === 0 && sftpCode === 0 ? 0 : (code ?? 1) || 1;

say(text.step7);
const xfbCode = await xfbRoundTrip();
if (xfbCode !== 0) process.exitCode = xfbCode || 1;

say(text.step9);
const pastellCode = await pastellRoundTrip();
if (pastellCode !== 0) process.exitCode = pastellCode || 1;

/** The Pastell test peer (HTTPS, test CA): one document created and sent, then the acquit brought back by a later run. */
async function pastellRoundTrip() {
  const { startPastellPeer } = await import('../fixtures/peers/peers.mjs');
  const peer = await startPastellPeer({ tls: true, delayMs: 300 });
  const pes = 'PESALR2_21400999900017_261123_0930.xml';
  const exportPastell = join(work, 'finances', 'export-pastell');
  mkdirSync(exportPastell, { recursive: true });
  cpSync(join(project, 'fixtures', 'pes', pes), join(exportPastell, pes));
  process.env.ORDO_DEMO_PASTELL_PASSWORD = peer.account.password;
  config.profiles.VILLE.pastell = { ...peer.profile, password: '${ORDO_DEMO_PASTELL_PASSWORD}' };
  config.scenarios.TDT = {
    profile: 'VILLE',
    protocol: 'pastell',
    source: './finances/export-pastell',
    filter: ['*.xml'],
    settle: '0s',
    // In production the acquit comes hours later: ordo asks about a document at most this often.
    receipts: { every: '1s' },
    options: { type: 'helios-generique' },
  };
  writeFileSync(join(work, 'ordo.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  const run = () => ordoRunAsync('run', 'TDT');
  try {
    const sent = await run();
    for (const doc of peer.api.documents.values()) {
      process.stdout.write(`${text.pastellHolds(doc.id_d, doc.type, doc.actions.at(-1)?.action ?? '?')}\n`);
    }
    await peer.api.advance();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    say(text.step10);
    const followed = await run();
    process.stdout.write(`${text.received}\n${tree(join(work, 'ordo-data', 'recus'))}\n`);
    const log = readFileSync(join(work, 'ordo-data', 'logs', 'last.log'), 'utf8');
    process.stdout.write(log);
    return sent === 0 ? followed : sent;
  } finally {
    await peer.close();
  }
}

/** One demo SFTP server plays both sides: DILA's deposit of télédossiers and DILA's folder for the flux retours. */
async function sftpRoundTrip() {
  const served = join(work, 'serveur-sftp');
  mkdirSync(join(served, 'flux-retours'), { recursive: true });
  cpSync(join(project, 'fixtures', 'demo', 'dila', 'teledossiers'), join(served, 'teledossiers'), { recursive: true });
  cpSync(join(project, 'fixtures', 'demo', 'dila', 'retours'), join(work, 'instruction', 'retours'), { recursive: true });
  // Secrets are masked wherever they appear, so the demo's password must not be part of a path.
  const password = 'mot-de-passe-demo-sftp';
  const peer = spawn(process.execPath, [join(project, 'fixtures', 'peers', 'sftp', 'serve.mjs'), served], {
    stdio: ['pipe', 'pipe', 'inherit'],
    env: { ...process.env, PEER_PASSWORD: password },
  });
  const [firstLine] = await once(createInterface({ input: peer.stdout }), 'line');
  const server = JSON.parse(firstLine);
  process.env.ORDO_DEMO_SFTP_PASSWORD = password;
  config.profiles.VILLE.sftp = {
    host: server.host,
    port: server.port,
    username: server.username,
    password: '${ORDO_DEMO_SFTP_PASSWORD}',
    hostKey: server.hostKeyFingerprint,
  };
  config.scenarios.TELEDOSSIERS = {
    profile: 'VILLE',
    protocol: 'sftp',
    naming: { timestamp: false },
    options: { inbox: '/teledossiers', filter: '*.xml;*.pdf', afterRetrieve: 'delete' },
  };
  config.scenarios.FLUX_RETOURS = {
    profile: 'VILLE',
    protocol: 'sftp',
    source: './instruction/retours',
    settle: '0s',
    retrieve: { enabled: false },
    options: { remoteDir: '/flux-retours' },
  };
  writeFileSync(join(work, 'ordo.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  try {
    const status = ordoRun('run', 'TELEDOSSIERS', 'FLUX_RETOURS');
    process.stdout.write(`${text.sftpServed}\n${tree(served)}\n`);
    process.stdout.write(`${text.received}\n${tree(join(work, 'ordo-data', 'recus'))}\n`);
    return status;
  } finally {
    peer.stdin.end();
    await once(peer, 'exit');
  }
}

/**
 * The XFB gateway peer runs in this process, so ordo runs asynchronously here (a synchronous child
 * would stop the peer from answering).
 */
async function xfbRoundTrip() {
  const { startXfbPeer } = await import('../fixtures/peers/peers.mjs');
  const peer = await startXfbPeer({ tls: true });
  const returned = 'ACQUIT_PESALR2_21400999900017_261122_1610.xml';
  peer.gateway.addWaiting(returned, readFileSync(join(project, 'fixtures', 'demo', 'partner-outbox', returned)));
  const exportXfb = join(work, 'finances', 'export-helios');
  mkdirSync(exportXfb, { recursive: true });
  cpSync(join(project, 'fixtures', 'demo', 'outgoing', 'PESALR2_21400999900017_261123_0930.xml'), join(exportXfb, 'PESALR2_21400999900017_261123_0930.xml'));
  process.env.ORDO_DEMO_XFB_PASSWORD = peer.account.password;
  config.profiles.VILLE.xfb = { ...peer.profile, password: '${ORDO_DEMO_XFB_PASSWORD}' };
  config.scenarios.HELIOS = {
    profile: 'VILLE',
    protocol: 'xfb',
    source: './finances/export-helios',
    filter: ['*.xml'],
    settle: '0s',
    // In production: 30s between uploads and 10s between downloads (docs/protocols/xfb.md).
    delays: { send: '0s', retrieve: '0s' },
    retrieve: { afterSend: true },
    naming: { rename: true, format: 'LA[annee][numrec].020' },
  };
  writeFileSync(join(work, 'ordo.config.json'), `${JSON.stringify(config, null, 2)}\n`);
  try {
    const status = await ordoRunAsync('run', 'HELIOS');
    for (const deposit of peer.gateway.deposits) {
      process.stdout.write(`${text.gatewayReceived(deposit)}\n`);
    }
    for (const entry of peer.gateway.waiting) process.stdout.write(`${text.gatewayState(entry.name, entry.state)}\n`);
    process.stdout.write(`${text.received}\n${tree(join(work, 'ordo-data', 'recus'))}\n`);
    say(text.step8);
    process.stdout.write(readFileSync(join(work, 'ordo-data', 'logs', 'last.log'), 'utf8'));
    return status;
  } finally {
    await peer.close();
  }
}
