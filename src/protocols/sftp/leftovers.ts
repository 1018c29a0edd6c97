// Temporary uploads a killed run left in the remote folder: each session removes, before its first send,
// those this host can prove are dead (see temp-names.ts) — one listing per session — and diagnose counts
// the rest. They stay in the folder itself: their names (hidden, ending in `.ordo-part`) match no filter
// a partner uses (`PES*`, `*.xml`…).
import type { SftpLink } from './connect.js';
import type { LinkKeeper } from './link-keeper.js';
import { remoteJoin } from './remote-paths.js';
import { listFolder, removeQuietly, type RemoteListing } from './remote-files.js';
import { leftoverStatus } from '../../shared/temp-names.js';

/** Once per session and folder; never throws (a folder that cannot be listed is only not swept). */
export async function sweepRemoteFolder(keeper: LinkKeeper, link: SftpLink, dir: string): Promise<void> {
  if (keeper.sweptFolders.has(dir)) return;
  keeper.sweptFolders.add(dir);
  let listing: RemoteListing[];
  try {
    listing = await listFolder(link, dir);
  } catch {
    return;
  }
  const now = Date.now();
  const dead = listing.filter(({ name, stat }) => stat.isFile && leftoverStatus(name, stat.mtime.getTime(), now) === 'removable');
  const removed = await Promise.all(dead.map(({ name }) => removeQuietly(link, remoteJoin(dir, name))));
  const count = removed.filter(Boolean).length;
  if (count > 0) keeper.log.info('protocol.sftp.leftoversRemoved', { path: dir, count });
}

/** The temporary files in the listing that no running transfer of this host owns. */
export function countRemoteLeftovers(listing: RemoteListing[], nowMs: number): { removable: number; unproven: number } {
  const count = { removable: 0, unproven: 0 };
  for (const { name, stat } of listing) {
    if (!stat.isFile) continue;
    const status = leftoverStatus(name, stat.mtime.getTime(), nowMs);
    if (status === 'removable') count.removable += 1;
    else if (status === 'unproven') count.unproven += 1;
  }
  return count;
}
