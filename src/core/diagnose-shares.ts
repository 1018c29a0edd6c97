// diagnose: is a folder on a network share? A share may be slow, show a file before it is complete, or
// be missing for the account a scheduler uses. Linux: the filesystem type of the mount holding the
// folder (/proc/self/mountinfo); Windows: a UNC path (\\server\share), or a drive letter mapped to one
// (best effort: `net use` is not asked, so a mapped drive is seen only through its UNC path).
import { readFile, realpath } from 'node:fs/promises';
import type { OrdoConfig, ScenarioConfig } from '../config/model.js';
import { t } from '../i18n/index.js';
import { spoolPaths } from '../shared/paths.js';
import { nearestExisting } from '../shared/exists.js';
import { check } from './diagnose-check.js';
import type { DiagnoseCheck } from './results.js';

const NETWORK_TYPES = new Set(['nfs', 'nfs4', 'cifs', 'smb', 'smb2', 'smb3', 'smbfs', 'fuse.sshfs', 'sshfs', '9p', 'afs', 'ncpfs', 'ceph', 'glusterfs', 'fuse.glusterfs', 'davfs', 'fuse.davfs2', 'fuse.rclone', 'lustre', 'beegfs', 'gpfs', 'virtiofs', 'vboxsf', 'fuse.vmhgfs-fuse']);

export interface Mount {
  /** Where it is mounted (escapes such as `\040` decoded). */
  point: string;
  type: string;
  source: string;
}

/** The mounts of /proc/self/mountinfo: `id parent major:minor root point options [optional…] - type source superoptions`. */
export function parseMountInfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.trim().split(' ');
    const dash = fields.indexOf('-');
    const point = fields[4];
    const type = fields[dash + 1];
    if (dash < 6 || point === undefined || type === undefined) continue;
    mounts.push({ point: unescapeMount(point), type, source: unescapeMount(fields[dash + 2] ?? '') });
  }
  return mounts;
}

/** The mount holding `path` (an absolute, resolved path): the longest mount point that contains it. */
export function mountOf(path: string, mounts: readonly Mount[]): Mount | undefined {
  let best: Mount | undefined;
  for (const mount of mounts) {
    const inside = mount.point === '/' || path === mount.point || path.startsWith(`${mount.point}/`);
    // The last of equal points wins: it was mounted over the earlier ones.
    if (inside && (best === undefined || mount.point.length >= best.point.length)) best = mount;
  }
  return best;
}

export function isNetworkType(type: string): boolean {
  return NETWORK_TYPES.has(type.toLowerCase());
}

/** A Windows path that names a share: `\\server\share\…` (not `\\?\C:\…` nor `\\.\…`). */
export function isUncShare(path: string): boolean {
  return /^[\\/]{2}[^\\/?.][^\\/]*[\\/][^\\/]+/.test(path);
}

type Where = { network: boolean; type: string } | undefined;

export async function shareChecks(config: OrdoConfig, scenarios: readonly ScenarioConfig[]): Promise<DiagnoseCheck[]> {
  const paths = spoolPaths(config);
  const folders: Array<{ role: string; path: string; scope?: string }> = [{ role: 'root', path: config.root }];
  for (const s of scenarios) {
    if (s.source !== undefined) folders.push({ role: 'source', path: s.source, scope: s.name });
    folders.push({ role: 'backup', path: paths.backup(s), scope: s.name });
    folders.push({ role: 'received', path: paths.received(s.profile), scope: s.name });
  }
  const mounts = process.platform === 'linux' ? await readFile('/proc/self/mountinfo', 'utf8').then(parseMountInfo, () => undefined) : undefined;
  const checks: DiagnoseCheck[] = [];
  const local: string[] = [];
  const unknown: string[] = [];
  const seen = new Set<string>();
  for (const folder of folders) {
    if (seen.has(folder.path)) continue;
    seen.add(folder.path);
    const where = await locate(folder.path, mounts);
    const params = { role: t(`diagnose.role.${folder.role}`), path: folder.path, type: where?.type ?? '?' };
    if (where === undefined) unknown.push(folder.path);
    else if (where.network) checks.push(check('folders.share', 'warn', t('diagnose.share.network', params), { fix: t('diagnose.share.network.fix', params), scope: folder.scope }));
    else local.push(`${folder.path} (${where.type})`);
  }
  if (unknown.length > 0) checks.unshift(check('folders.share', 'ok', t('diagnose.share.unknown', { folders: unknown.join(', ') })));
  if (local.length > 0) checks.unshift(check('folders.share', 'ok', t('diagnose.share.local', { folders: local.join(', ') })));
  return checks;
}

async function locate(path: string, mounts: readonly Mount[] | undefined): Promise<Where> {
  if (process.platform === 'win32') return isUncShare(path) ? { network: true, type: 'UNC' } : undefined;
  if (mounts === undefined) return undefined;
  // The folder may not exist yet: the mount that will hold it is its nearest existing parent's.
  const existing = await nearestExisting(path);
  if (existing === undefined) return undefined;
  const real = await realpath(existing).catch(() => existing);
  const mount = mountOf(real, mounts);
  return mount === undefined ? undefined : { network: isNetworkType(mount.type), type: mount.type };
}

function unescapeMount(text: string): string {
  return text.replace(/\\([0-7]{3})/g, (_all, octal: string) => String.fromCharCode(parseInt(octal, 8)));
}
