// The `local` protocol's keys, all in `scenarios.<S>.options` (it has no profile keys): the folders it
// sends into and retrieves from. Described in docs/protocols/local.md.
import type { ProtocolSettingProblem } from '../contract.js';
import { folderFilterType, samePath } from '../common/folder-settings.js';
import { afterRetrieveType, parseAfterRetrieve } from '../common/retrieval-options.js';
import { declareProtocol, isText, localPathType, resolveLocalPath, say, type ReadContext } from '../options.js';

const notPath = say('protocol.local.option.notPath', 'key');

export const localDeclaration = declareProtocol({
  name: 'local',
  capabilities: ['send', 'list', 'fetch', 'acknowledge', 'check', 'verify'],
  features: { usesInbox: true },
  options: [
    { name: 'target', where: 'options', type: localPathType(notPath), help: 'protocol.local.help.target' },
    { name: 'inbox', where: 'options', type: localPathType(notPath), help: 'protocol.local.help.inbox' },
    {
      name: 'afterRetrieve',
      where: 'options',
      type: afterRetrieveType(say('protocol.local.option.afterRetrieve', 'value')),
      default: 'delete',
      help: 'protocol.local.help.afterRetrieve',
    },
    { name: 'filter', where: 'options', type: folderFilterType, default: '*', help: 'protocol.local.help.filter' },
  ],
  checks: [moveIntoInbox],
});

/** Moved files would be listed, fetched and "moved" again on every run. */
function moveIntoInbox({ blocks, configDir }: ReadContext): ProtocolSettingProblem[] {
  const after = parseAfterRetrieve(blocks.options.afterRetrieve);
  const { inbox } = blocks.options;
  if (after?.action !== 'move' || !isText(inbox)) return [];
  const base = configDir ?? process.cwd();
  const folder = resolveLocalPath(after.folder, base);
  if (!samePath(folder, resolveLocalPath(inbox.trim(), base))) return [];
  return [{ where: 'options', key: 'afterRetrieve', messageKey: 'protocol.local.option.moveIntoInbox', params: { path: folder } }];
}
