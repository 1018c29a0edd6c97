// Paths on the server: always `/`-separated, whatever system ordo runs on.
import { TransferError } from '../contract.js';

export function remoteJoin(dir: string, name: string): string {
  if (dir === '' || dir === '.') return name;
  return dir.endsWith('/') ? `${dir}${name}` : `${dir}/${name}`;
}

/**
 * One plain name: no separator of any system (a Windows server would split on `\`), no `.`/`..`, no
 * control character. The core hands over safe names; this keeps a slip elsewhere from escaping the folder.
 */
export function isPlainRemoteName(name: string): boolean {
  if (name === '' || name === '.' || name === '..') return false;
  return !/[/\\\u0000-\u001f]/.test(name);
}

/**
 * A listed name that designates one entry of the folder on the server (SFTP paths are `/`-separated):
 * fetched whatever else it holds, since the core gives it a safe local name.
 */
export function isOneRemoteEntry(name: string): boolean {
  return name !== '' && name !== '.' && name !== '..' && !/[/\u0000]/.test(name);
}

export function requirePlainRemoteName(name: string): string {
  if (!isPlainRemoteName(name)) throw new TransferError('permanent', 'protocol.common.badName', { name });
  return name;
}

/** `report.xml` → `report-1.xml`, `report-2.xml`… */
export function numberedName(name: string, attempt: number): string {
  if (attempt === 0) return name;
  const dot = name.lastIndexOf('.');
  return dot > 0 ? `${name.slice(0, dot)}-${attempt}${name.slice(dot)}` : `${name}-${attempt}`;
}
