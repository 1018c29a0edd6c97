// The `local` protocol: a folder or a network share on each side. Also the reference implementation
// of the contract (docs/protocols/contract.md); its behaviour is described in docs/protocols/local.md.
import type { ProtocolContext, ProtocolSession } from '../contract.js';
import { defineProtocol } from '../define.js';
import { checkFolders } from './check.js';
import { acknowledgeEntry, fetchFromInbox, listInbox } from '../common/folder-inbox.js';
import { sendToFolder, verifyInFolder } from '../common/folder-send.js';
import { TargetTemporaries } from '../common/temporaries.js';
import { localDeclaration } from './options.js';
import { resolveLocalSettings } from './settings.js';

export const localProtocol = defineProtocol(localDeclaration, { open: (context) => openLocalSession(context) });

export function openLocalSession(context: ProtocolContext): ProtocolSession {
  const settings = resolveLocalSettings(context.options, context.configDir);
  const temporaries = new TargetTemporaries(context.log);
  return {
    send: (item, options = {}) => sendToFolder(settings, item, options, context.log, temporaries),
    publishesLast: true,
    verify: (item) => verifyInFolder(settings, item, temporaries),
    list: (options = {}) => listInbox(settings, options),
    fetch: (entry, destPath, options = {}) => fetchFromInbox(settings, entry, destPath, options),
    acknowledge: (entry) => acknowledgeEntry(settings, entry),
    check: (options = {}) => checkFolders(settings, options.writeProbe ?? false),
    close: () => temporaries.close(),
  };
}
