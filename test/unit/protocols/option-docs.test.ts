// Each protocol's page (docs/protocols/<name>.md) has a table of its keys; it must say what the
// protocol's declaration says: the same keys, each with its place, type, default, whether it is
// required and whether it is secret.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { OptionDeclaration, ProtocolDeclaration } from '../../../src/protocols/options.js';
import { protocolNames, registryEntry } from '../../../src/protocols/registry.js';

const HEADER = '| key | where | type | default | required | secret | meaning |';

interface DocRow {
  key: string;
  where: string;
  type: string;
  default: string;
  required: string;
  secret: string;
}

function docPage(protocol: string): string {
  return readFileSync(new URL(`../../../docs/protocols/${protocol}.md`, import.meta.url), 'utf8');
}

/** The rows of every key table of a page (tables under the header above). */
function keyRows(page: string): DocRow[] {
  const rows: DocRow[] = [];
  let inTable = false;
  for (const line of page.split('\n')) {
    if (line === HEADER) inTable = true;
    else if (!line.startsWith('|')) inTable = false;
    else if (inTable && !line.startsWith('|---')) {
      const [key = '', where = '', type = '', fallback = '', required = '', secret = ''] = line.slice(1, -1).split(' | ').map((cell) => cell.trim());
      rows.push({ key: key.replace(/^`|`$/g, ''), where, type, default: fallback, required, secret });
    }
  }
  return rows;
}

const SINGLE_CODE = /^`([^`]*)`$/;

/** Every way the rows and the declaration disagree, in words. */
function disagreements(declaration: ProtocolDeclaration, rows: DocRow[]): string[] {
  const found: string[] = [];
  const documented = new Map(rows.map((row) => [row.key, row]));
  for (const option of declaration.options) {
    const row = documented.get(option.name);
    if (row === undefined) {
      found.push(`${option.name}: missing from the table`);
      continue;
    }
    const expected = expectedCells(option);
    for (const column of ['where', 'type', 'required', 'secret'] as const) {
      if (row[column] !== expected[column]) found.push(`${option.name}: ${column} is "${row[column]}", the declaration says "${expected[column]}"`);
    }
    const code = SINGLE_CODE.exec(row.default)?.[1];
    if (option.default === undefined && code !== undefined) found.push(`${option.name}: the table gives the default \`${code}\`, the declaration none`);
    if (option.default !== undefined && code !== String(option.default)) found.push(`${option.name}: default is "${row.default}", the declaration says \`${String(option.default)}\``);
  }
  const declared = new Set(declaration.options.map((option) => option.name));
  for (const row of rows) if (!declared.has(row.key)) found.push(`${row.key}: in the table, not declared`);
  if (rows.length !== documented.size) found.push('a key appears twice in the table');
  return found;
}

function expectedCells(option: OptionDeclaration): Pick<DocRow, 'where' | 'type' | 'required' | 'secret'> {
  const secret = option.secret === true ? 'yes' : option.secret === undefined || option.secret === false ? 'no' : option.secret.map((part) => `\`${part}\``).join(', ');
  return { where: option.where, type: option.type.name, required: option.required === true ? 'yes' : 'no', secret };
}

describe('the docs’ key tables', () => {
  for (const protocol of protocolNames()) {
    it(`docs/protocols/${protocol}.md says what the ${protocol} declaration says`, () => {
      const declaration = registryEntry(protocol)!.declaration;
      const rows = keyRows(docPage(protocol));
      expect(rows.length).toBeGreaterThan(0);
      expect(disagreements(declaration, rows)).toEqual([]);
    });
  }

  it('notices a missing key, an extra key, and a different default, requirement or secrecy', () => {
    const declaration = registryEntry('sftp')!.declaration;
    const rows = keyRows(docPage('sftp'));
    const changed = rows
      .filter((row) => row.key !== 'host')
      .map((row) => (row.key === 'port' ? { ...row, default: '`2222`' } : row))
      .map((row) => (row.key === 'username' ? { ...row, required: 'no' } : row))
      .map((row) => (row.key === 'password' ? { ...row, secret: 'no' } : row))
      .map((row) => (row.key === 'ciphers' ? { ...row, default: '`aes128-ctr`' } : row));
    changed.push({ key: 'proxy', where: 'profile', type: 'url', default: '—', required: 'no', secret: 'no' });
    expect(disagreements(declaration, changed)).toEqual([
      'host: missing from the table',
      'port: default is "`2222`", the declaration says `22`',
      'username: required is "no", the declaration says "yes"',
      'password: secret is "no", the declaration says "yes"',
      'ciphers: the table gives the default `aes128-ctr`, the declaration none',
      'proxy: in the table, not declared',
    ]);
  });
});
