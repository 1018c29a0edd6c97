// The `sftp` protocol: any SFTP partner (DILA télédossiers and flux retours…), through
// ssh2-sftp-client. Behaviour, keys and errors: docs/protocols/sftp.md.
import type { ProtocolContext, ProtocolSession } from '../contract.js';
import { defineProtocol } from '../define.js';
import { checkSftp } from './check.js';
import { acknowledgeEntry, fetchEntry, listInbox } from './inbox.js';
import { LinkKeeper } from './link-keeper.js';
import { NextFile } from './next-file.js';
import { sendFile, verifySent } from './send.js';
import { sftpDeclaration } from './options.js';
import { resolveSftpSettings } from './settings.js';

export const sftpProtocol = defineProtocol(sftpDeclaration, { open: (context) => openSftpSession(context) });

/** Nothing is connected until the first request: opening never fails for a network reason. */
export function openSftpSession(context: ProtocolContext): ProtocolSession {
  const settings = resolveSftpSettings(context.profile, context.options, { configDir: context.configDir, root: context.root });
  const keeper = new LinkKeeper(settings, context.profileName, context.log);
  const next = new NextFile(keeper);
  return {
    send: (item, options = {}) => sendFile(keeper, next, item, options),
    publishesLast: true,
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
