// Every message exists in French and English (all catalogs: cli, config, engine, naming, and the
// protocols' own, src/protocols/*/messages.ts), with the same placeholders, and the keys the output
// builds dynamically all exist.
import { describe, expect, it } from 'vitest';
import { catalogKeys, t } from '../../../src/i18n/index.js';
// The protocols' messages join the catalog with the registry, as in every command that may show one.
import { protocolNames, registryEntry } from '../../../src/protocols/registry.js';
import { ExitCode } from '../../../src/shared/errors.js';
import type { FileStatus } from '../../../src/core/results.js';

const keys = catalogKeys();

function placeholders(text: string): string[] {
  return [...new Set([...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!))].sort();
}

describe('message catalogs', () => {
  it('every English key has a French translation', () => {
    const fr = new Set(keys.fr);
    expect(keys.en.filter((k) => !fr.has(k))).toEqual([]);
  });

  it('every French key has an English original', () => {
    const en = new Set(keys.en);
    expect(keys.fr.filter((k) => !en.has(k))).toEqual([]);
  });

  it('no message is empty', () => {
    const empty = [...keys.en.filter((k) => t(k, {}, 'en').trim() === ''), ...keys.fr.filter((k) => t(k, {}, 'fr').trim() === '')];
    expect(empty).toEqual([]);
  });

  it('both languages use the same placeholders', () => {
    const different = keys.en
      .filter((k) => keys.fr.includes(k))
      .filter((k) => placeholders(raw(k, 'en')).join() !== placeholders(raw(k, 'fr')).join());
    expect(different).toEqual([]);
  });

  it('holds the messages of every protocol of the registry, each under its own name, and those they share', () => {
    for (const lang of ['en', 'fr'] as const) {
      const known = new Set(keys[lang]);
      for (const name of protocolNames()) {
        const own = Object.keys(registryEntry(name)!.messages[lang]);
        expect(own.length, `${name} ${lang}`).toBeGreaterThan(0);
        expect(own.filter((key) => !known.has(key)), `${name} ${lang}`).toEqual([]);
        expect(own.filter((key) => !key.startsWith(`protocol.${name}.`) && !key.startsWith(`diagnose.${name}.`)), `${name} ${lang}`).toEqual([]);
      }
      const shared = ['common', 'setting', 'web'].filter((name) => !keys[lang].some((key) => key.startsWith(`protocol.${name}.`)));
      expect(shared, lang).toEqual([]);
    }
  });

  it('has every message the output builds from a status, an exit code or a command name', () => {
    const statuses: FileStatus[] = ['sent', 'pending', 'failed', 'deferred', 'uncertain', 'duplicate', 'received', 'would-send', 'would-receive', 'waiting'];
    const wanted = [
      ...statuses.flatMap((s) => [`output.file.${s}`, `output.count.${s}.one`, `output.count.${s}.other`]),
      ...Object.values(ExitCode).map((code) => `cli.exit.${code}`),
      ...['scan', 'send', 'retrieve', 'run', 'watch', 'tedeco-request', 'check-pes', 'rename', 'logs', 'logs.show', 'logs.purge', 'diagnose', 'config', 'config.check', 'config.show'].map(
        (c) => `cli.cmd.${c}`,
      ),
      ...['missing', 'notFolder', 'notWritable'].flatMap((s) => [`diagnose.folder.${s}`, `diagnose.folder.${s}.fix`]),
      ...['root', 'source', 'backup', 'queue', 'failed', 'received', 'logs', 'journal', 'locks'].map((r) => `diagnose.role.${r}`),
      ...['sent', 'pending', 'received'].map((s) => `diagnose.journal.what.${s}`),
    ];
    for (const lang of ['en', 'fr'] as const) {
      const known = new Set(keys[lang]);
      expect(wanted.filter((k) => !known.has(k)), lang).toEqual([]);
    }
  });
});

/** The template itself: placeholders are left as they are when no parameter is given. */
function raw(key: string, lang: 'en' | 'fr'): string {
  return t(key, {}, lang);
}
