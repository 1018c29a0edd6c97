// The `sftp` protocol: any SFTP partner (DILA télédossiers and flux retours…), through
// ssh2-sftp-client. Behaviour, keys and errors: docs/protocols/sftp.md.
import { TransferError, type ProtocolContext, type ProtocolDefinition, type ProtocolSession } from '../contract.js';
import { checkSftp } from './check.js';
import { acknowledgeEntry, fetchEntry, listInbox } from './inbox.js';
import { LinkKeeper } from './link-keeper.js';
import { NextFile } from './next-file.js';
import { sendFile, verifySent } from './send.js';
import { resolveSftpSettings, sftpSettingProblems } from './settings.js';

export const sftpProtocol: ProtocolDefinition = {
  name: 'sftp',
  capabilities: ['send', 'list', 'fetch', 'acknowledge', 'check', 'verify'],
  validate: (profile, options) => sftpSettingProblems(profile, options),
  open: async (context) => openSftpSession(context),
};

/** Nothing is connected until the first request: opening never fails for a network reason. */
export function openSftpSession(context: ProtocolContext): ProtocolSession {
  const [problem] = sftpSettingProblems(context.profile, context.options);
  if (problem !== undefined) {
    throw new TransferError('permanent', problem.messageKey, { ...problem.params, key: `${problem.where}.${problem.key}` }, { connection: true });
  }
  const settings = resolveSftpSettings(context.profile, context.options, { configDir: context.configDir, root: context.root });
  const keeper = new LinkKeeper(settings, context.profileName, context.log);
  const next = new NextFile(keeper);
  return {
    send: (item, options = {}) => sendFile(keeper, next, item, options),
    verify: (item) => verifySent(keeper, item),
    list: (options = {}) => listInbox(keeper, options),
    fetch: (entry, destPath, options = {}) => fetchEntry(keeper, entry, destPath, options),
    acknowledge: (entry) => acknowledgeEntry(keeper, entry),
    check: (options = {}) => checkSftp(settings, context.profileName, options.writeProbe ?? false),
    close: async () => {
      await next.discard();
      await keeper.close();
    },
  };
}
