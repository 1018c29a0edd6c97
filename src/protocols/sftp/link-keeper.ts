// One connection for all the files of a run: opened on first use, opened again after it was lost,
// closed with the session. Temporary files an interrupted upload could not remove are removed as soon
// as a connection is available again.
import type { ProtocolLog } from '../contract.js';
import { openLink, type SftpLink } from './connect.js';
import { loadHostKeyTrust, type HostKeyTrust } from './host-keys.js';
import { removeQuietly } from './remote-files.js';
import type { SftpSettings } from './settings.js';

export class LinkKeeper {
  private link: SftpLink | undefined;
  private trust: HostKeyTrust | undefined;
  private readonly leftovers = new Set<string>();
  /** Remote folders known to exist on the current connection. */
  readonly knownFolders = new Set<string>();
  /** Remote folders whose leftovers this session removed already (once per session). */
  readonly sweptFolders = new Set<string>();

  constructor(
    readonly settings: SftpSettings,
    private readonly profileName: string,
    readonly log: ProtocolLog,
  ) {}

  async get(): Promise<SftpLink> {
    if (this.link !== undefined && !this.link.lost) return this.link;
    this.drop();
    this.trust ??= await loadHostKeyTrust(this.settings);
    const link = await openLink({ settings: this.settings, trust: this.trust, profileName: this.profileName });
    this.link = link;
    this.log.debug('protocol.sftp.connected', { host: this.settings.host, port: this.settings.port, chunk: link.writeChunk });
    await this.removeLeftovers(link);
    return link;
  }

  /** Whether the connection in use went away (a failure then says "connection lost", not the server's error). */
  get lost(): boolean {
    return this.link?.lost ?? true;
  }

  /** A temporary file to remove if the upload cannot finish. */
  track(path: string): void {
    this.leftovers.add(path);
  }

  untrack(path: string): void {
    this.leftovers.delete(path);
  }

  /** Removes the tracked temporary files now, connecting again if needed; failures are only logged. */
  async cleanUp(): Promise<void> {
    if (this.leftovers.size === 0) return;
    try {
      await this.removeLeftovers(await this.get());
    } catch {
      // Still unreachable: the next connection tries again, and diagnose reports old leftovers.
    }
  }

  async close(): Promise<void> {
    const link = this.link;
    this.link = undefined;
    this.knownFolders.clear();
    if (link === undefined) return;
    if (!link.lost) await this.removeLeftovers(link);
    for (const path of this.leftovers) this.log.warn('protocol.sftp.tempLeft', { path });
    this.leftovers.clear();
    await link.close();
  }

  private async removeLeftovers(link: SftpLink): Promise<void> {
    for (const path of [...this.leftovers]) {
      if (await removeQuietly(link, path)) this.leftovers.delete(path);
    }
  }

  private drop(): void {
    this.link?.destroy();
    this.link = undefined;
    this.knownFolders.clear();
  }
}
