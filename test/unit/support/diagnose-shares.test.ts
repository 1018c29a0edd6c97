import { describe, expect, it } from 'vitest';
import { isNetworkType, isUncShare, mountOf, parseMountInfo } from '../../../src/core/diagnose-shares.js';

// A sample of /proc/self/mountinfo: the root on ext4, an NFS export, a CIFS share whose mount point has a
// space (written \040), an sshfs mount, and a tmpfs mounted over part of the NFS tree.
const SAMPLE = [
  '22 1 8:1 / / rw,relatime shared:1 - ext4 /dev/sda1 rw,errors=remount-ro',
  '35 22 0:31 / /mnt/nfs rw,relatime shared:20 - nfs4 srv:/export rw,vers=4.2',
  '36 22 0:32 / /mnt/partage\\040mairie rw,relatime shared:21 - cifs //srv/mairie rw,vers=3.0',
  '37 22 0:33 / /home/ordo/remote rw,nosuid,nodev,relatime shared:22 - fuse.sshfs ordo@host: rw,user_id=1000',
  '38 35 0:34 / /mnt/nfs/tmp rw,relatime shared:23 - tmpfs tmpfs rw',
  '',
].join('\n');

describe('network shares from mountinfo', () => {
  const mounts = parseMountInfo(SAMPLE);

  it('reads the mount point (escapes decoded), the type and the source of each line', () => {
    expect(mounts).toHaveLength(5);
    expect(mounts[2]).toEqual({ point: '/mnt/partage mairie', type: 'cifs', source: '//srv/mairie' });
  });

  it('finds the mount holding a folder: the longest mount point containing it', () => {
    expect(mountOf('/mnt/nfs/ordo/queue', mounts)?.type).toBe('nfs4');
    expect(mountOf('/mnt/nfs/tmp/x', mounts)?.type).toBe('tmpfs');
    expect(mountOf('/mnt/nfsother', mounts)?.type).toBe('ext4');
    expect(mountOf('/mnt/partage mairie/export', mounts)?.type).toBe('cifs');
    expect(mountOf('/home/ordo/remote', mounts)?.type).toBe('fuse.sshfs');
    expect(mountOf('/var/lib/ordo', mounts)?.type).toBe('ext4');
  });

  it('tells network filesystems from local ones', () => {
    for (const type of ['nfs', 'nfs4', 'cifs', 'smb3', 'fuse.sshfs', '9p']) expect(isNetworkType(type), type).toBe(true);
    for (const type of ['ext4', 'xfs', 'btrfs', 'tmpfs', 'overlay', 'ntfs']) expect(isNetworkType(type), type).toBe(false);
  });

  it('recognises a Windows UNC share, not a device path or a drive letter', () => {
    expect(isUncShare('\\\\srv\\partage\\export')).toBe(true);
    expect(isUncShare('//srv/partage')).toBe(true);
    expect(isUncShare('\\\\?\\C:\\ordo')).toBe(false);
    expect(isUncShare('\\\\.\\pipe\\x')).toBe(false);
    expect(isUncShare('C:\\ordo')).toBe(false);
  });
});
