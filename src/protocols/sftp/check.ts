// `sftp` diagnose: each step of the connection (DNS, TCP, SSH handshake, host key, authentication),
// then the remote folders the scenario uses. A step that fails stops there: the next ones cannot run.
import { TransferError, type CheckResult } from '../contract.js';
import { openLink, type ConnectStage, type ConnectTrace, type SftpLink } from './connect.js';
import { failureKind, failureReason, shownCode } from './errors.js';
import { sshNativeCrypto } from './native-crypto.js';
import { loadHostKeyTrust } from './host-keys.js';
import { nameFilter } from './inbox.js';
import { temporaryName } from '../../shared/temp-names.js';
import { countRemoteLeftovers } from './leftovers.js';
import { remoteJoin } from './remote-paths.js';
import { listFolder, removeQuietly, statOrUndefined } from './remote-files.js';
import type { SftpSettings } from './settings.js';

const CONNECTION_STEPS = ['sftp.dns', 'sftp.tcp', 'sftp.handshake', 'sftp.hostKey', 'sftp.auth'] as const;
type ConnectionStep = (typeof CONNECTION_STEPS)[number];

export async function checkSftp(settings: SftpSettings, profileName: string, writeProbe: boolean): Promise<CheckResult[]> {
  const trace: ConnectTrace = { stage: 'key' };
  let link: SftpLink;
  try {
    const trust = await loadHostKeyTrust(settings);
    link = await openLink({ settings, trust, profileName, trace });
  } catch (error) {
    if (!(error instanceof TransferError)) throw error;
    const failed = failedStep(trace, error);
    return [...passedSteps(trace, settings, failed), failure(failed, error)];
  }
  const results = passedSteps(trace, settings, undefined);
  try {
    if (settings.remoteDir !== undefined) results.push(await checkRemoteDir(link, settings, settings.remoteDir, writeProbe));
    if (settings.inbox !== undefined) results.push(await checkInbox(link, settings, settings.inbox));
    if (settings.remoteDir === undefined && settings.inbox === undefined) {
      results.push({ id: 'sftp.list', status: 'warn', key: 'protocol.sftp.check.nothing', fixKey: 'protocol.sftp.check.nothing.fix' });
    }
  } finally {
    await link.close();
  }
  return results;
}

/** Where an attempt stopped, in diagnose's terms. */
function failedStep(trace: ConnectTrace, error: TransferError): ConnectionStep {
  if (error.key.startsWith('protocol.sftp.hostKey') || error.key.startsWith('protocol.sftp.knownHosts')) return 'sftp.hostKey';
  const byStage: Record<ConnectStage, ConnectionStep> = {
    key: 'sftp.auth',
    dns: 'sftp.dns',
    tcp: 'sftp.tcp',
    handshake: 'sftp.handshake',
    auth: 'sftp.auth',
    sftp: 'sftp.auth',
    ready: 'sftp.auth',
  };
  return byStage[trace.stage];
}

function passedSteps(trace: ConnectTrace, settings: SftpSettings, failed: ConnectionStep | undefined): CheckResult[] {
  const host = settings.host;
  const port = settings.port;
  const okOf: Record<ConnectionStep, () => CheckResult> = {
    'sftp.dns': () => ok('sftp.dns', 'protocol.sftp.check.dnsOk', { host, address: trace.address ?? '' }),
    'sftp.tcp': () => ok('sftp.tcp', 'protocol.sftp.check.tcpOk', { host, port }),
    'sftp.handshake': () => handshakeOk(trace, host, port),
    'sftp.hostKey': () =>
      ok('sftp.hostKey', 'protocol.sftp.check.hostKeyOk', { type: trace.presented?.type ?? '', fingerprint: trace.presented?.fingerprint ?? '' }),
    'sftp.auth': () => ok('sftp.auth', 'protocol.sftp.check.authOk', { username: settings.username, method: settings.privateKeyPath !== undefined ? 'publickey' : 'password' }),
  };
  // A key problem is found before any connection: nothing else was tried.
  if (failed === 'sftp.auth' && trace.stage === 'key') return [];
  const stop = failed === undefined ? CONNECTION_STEPS.length : CONNECTION_STEPS.indexOf(failed);
  return CONNECTION_STEPS.slice(0, stop).map((step) => okOf[step]());
}

/** The handshake, with the cipher it chose and whether ssh2 runs it natively (it decides a transfer's processor time). */
function handshakeOk(trace: ConnectTrace, host: string, port: number): CheckResult {
  const native = sshNativeCrypto();
  if (trace.cipher === undefined || native === undefined) return ok('sftp.handshake', 'protocol.sftp.check.handshakeOk', { host, port });
  const key = native ? 'protocol.sftp.check.handshakeOkNative' : 'protocol.sftp.check.handshakeOkJavaScript';
  return ok('sftp.handshake', key, { host, port, cipher: trace.cipher });
}

function failure(id: string, error: TransferError): CheckResult {
  return { id, status: 'fail', key: error.key, params: error.params, ...(error.fixKey === undefined ? {} : { fixKey: error.fixKey }) };
}

function ok(id: string, key: string, params: Record<string, string | number>): CheckResult {
  return { id, status: 'ok', key, params };
}

async function checkRemoteDir(link: SftpLink, settings: SftpSettings, dir: string, writeProbe: boolean): Promise<CheckResult> {
  const id = 'sftp.write';
  let found;
  try {
    found = await statOrUndefined(link, dir);
  } catch (error) {
    return folderFailure(id, dir, error);
  }
  if (found === undefined) {
    if (settings.createRemoteDir) return { id, status: 'warn', key: 'protocol.sftp.check.remoteDirWillBeCreated', params: { path: dir } };
    return { id, status: 'fail', key: 'protocol.sftp.remoteDirMissing', params: { path: dir }, fixKey: 'protocol.sftp.remoteDirMissing.fix' };
  }
  if (!found.isDirectory) return { id, status: 'fail', key: 'protocol.sftp.notFolder', params: { path: dir }, fixKey: 'protocol.sftp.notFolder.fix' };
  if (writeProbe) {
    const code = await probeWrite(link, dir);
    if (code !== undefined) return { id, status: 'fail', key: 'protocol.sftp.check.probeFailed', params: { path: dir, code }, fixKey: 'protocol.sftp.denied.fix' };
  }
  const left = countRemoteLeftovers(await listFolder(link, dir).catch(() => []), Date.now());
  if (left.removable + left.unproven > 0) {
    const params = { path: dir, count: left.removable + left.unproven, removable: left.removable, unproven: left.unproven };
    return { id, status: 'warn', key: 'protocol.sftp.check.staleTemp', params, fixKey: 'protocol.sftp.check.staleTemp.fix' };
  }
  return ok(id, writeProbe ? 'protocol.sftp.check.remoteDirProbed' : 'protocol.sftp.check.remoteDirOk', { path: dir });
}

/** Writes, checks and removes a hidden file: the only sure test of write access on a server. */
async function probeWrite(link: SftpLink, dir: string): Promise<string | undefined> {
  const path = remoteJoin(dir, temporaryName('ordo-probe'));
  const content = Buffer.from('ordo write probe\n');
  try {
    await link.client.put(content, path);
    const written = await statOrUndefined(link, path);
    if (written?.size !== content.length) return 'SIZE';
    return (await removeQuietly(link, path)) ? undefined : 'NOT_REMOVED';
  } catch (error) {
    await removeQuietly(link, path);
    return shownCode(error);
  }
}

async function checkInbox(link: SftpLink, settings: SftpSettings, inbox: string): Promise<CheckResult> {
  const id = 'sftp.list';
  try {
    const wanted = nameFilter(settings);
    const listing = await listFolder(link, inbox);
    const count = listing.filter((entry) => entry.stat.isFile && wanted(entry.name)).length;
    return ok(id, 'protocol.sftp.check.inboxOk', { path: inbox, count });
  } catch (error) {
    if (failureKind(error) === 'missing') {
      return { id, status: 'fail', key: 'protocol.sftp.inboxMissing', params: { path: inbox }, fixKey: 'protocol.sftp.inboxMissing.fix' };
    }
    return folderFailure(id, inbox, error);
  }
}

function folderFailure(id: string, path: string, error: unknown): CheckResult {
  const kind = failureKind(error);
  const key = kind === 'denied' ? 'protocol.sftp.denied' : kind === 'noSpace' ? 'protocol.sftp.noSpace' : 'protocol.sftp.failure';
  return { id, status: 'fail', key, params: { path, code: shownCode(error), reason: failureReason(error) }, fixKey: `${key}.fix` };
}
