// Trusting a new server explicitly (`ordo diagnose --accept-new-host-key <scenario>`), like OpenSSH's
// `StrictHostKeyChecking accept-new`: a host with no recorded key gets the key it presents now recorded
// in ordo's own known_hosts; a host whose recorded key differs is refused, never replaced.
import { TransferError, type ProtocolContext } from '../contract.js';
import { scanHostKey, searchHostKeys } from './connect.js';
import { hostKeyRefusal, judgeHostKey, loadHostKeyTrust } from './host-keys.js';
import { recordKnownHost } from './known-hosts.js';
import { settingProblems } from '../options.js';
import { sftpDeclaration } from './options.js';
import { resolveSftpSettings } from './settings.js';

export interface HostKeyAcceptance {
  host: string;
  port: number;
  type: string;
  fingerprint: string;
  /** recorded: written to `file` now. alreadyTrusted: nothing to do. */
  status: 'recorded' | 'alreadyTrusted';
  /** ordo's known_hosts (`<root>/known_hosts`). */
  file: string;
}

export async function acceptNewHostKey(context: Pick<ProtocolContext, 'profileName' | 'profile' | 'configDir' | 'root'>): Promise<HostKeyAcceptance> {
  // Only the connection settings matter here: credentials are not even needed.
  const problem = settingProblems(sftpDeclaration, { profile: context.profile, options: {} }, context.configDir).find((found) => found.key !== 'password');
  if (problem !== undefined) {
    throw new TransferError('permanent', problem.messageKey, { ...problem.params, key: `profile.${problem.key}` }, { connection: true });
  }
  const settings = resolveSftpSettings(context.profile, {}, { configDir: context.configDir, root: context.root });
  const trust = await loadHostKeyTrust(settings);
  const first = await scanHostKey(settings, trust);
  // A pinned key of another kind than the one presented first is looked for, as when connecting.
  const { key, verdict, seen } = judgeHostKey(trust, first).status === 'changed' ? await searchHostKeys(settings, trust, [first]) : { key: first, verdict: judgeHostKey(trust, first), seen: [first] };
  const result = { host: settings.host, port: settings.port, type: key.type, fingerprint: key.fingerprint, file: settings.ownKnownHostsPath };
  if (verdict.status === 'trusted') return { ...result, status: 'alreadyTrusted' };
  if (verdict.status !== 'unknown') throw hostKeyRefusal(verdict, key, { host: settings.host, port: settings.port, profile: context.profileName }, seen);
  await recordKnownHost(settings.ownKnownHostsPath, settings.host, settings.port, key);
  return { ...result, status: 'recorded' };
}
