// The `local` protocol: a folder or a network share on each side. Also the reference implementation
// of the contract (docs/protocols/contract.md); its behaviour is described in docs/protocols/local.md.
import { TransferError, type ProtocolContext, type ProtocolDefinition, type ProtocolSession } from '../contract.js';
import { checkFolders } from './check.js';
import { acknowledgeEntry, fetchFromInbox, listInbox } from '../common/folder-inbox.js';
import { sendToFolder, verifyInFolder } from '../common/folder-send.js';
import { TargetTemporaries } from '../common/temporaries.js';
import { localOptionProblems, resolveLocalSettings, samePath } from '../common/folder-settings.js';

export const localProtocol: ProtocolDefinition = {
  name: 'local',
  capabilities: ['send', 'list', 'fetch', 'acknowledge', 'check', 'verify'],
  validate: (_profile, options) => localOptionProblems(options),
  open: async (context) => openLocalSession(context),
};

export function openLocalSession(context: ProtocolContext): ProtocolSession {
  const [problem] = localOptionProblems(context.options);
  if (problem !== undefined) {
    throw new TransferError('permanent', problem.messageKey, { ...problem.params, key: `options.${problem.key}` }, { connection: true });
  }
  const settings = resolveLocalSettings(context.options, context.configDir);
  const after = settings.afterRetrieve;
  if (after.action === 'move' && settings.inbox !== undefined && samePath(after.folder, settings.inbox)) {
    // Moved files would be listed, fetched and "moved" again on every run.
    throw new TransferError('permanent', 'protocol.local.option.moveIntoInbox', { path: after.folder }, { connection: true });
  }
  const temporaries = new TargetTemporaries(context.log);
  return {
    send: (item, options = {}) => sendToFolder(settings, item, options, context.log, temporaries),
    verify: (item) => verifyInFolder(settings, item),
    list: (options = {}) => listInbox(settings, options),
    fetch: (entry, destPath, options = {}) => fetchFromInbox(settings, entry, destPath, options),
    acknowledge: (entry) => acknowledgeEntry(settings, entry),
    check: (options = {}) => checkFolders(settings, options.writeProbe ?? false),
    close: () => temporaries.close(),
  };
}
