// The `xfb` protocol: the DGFiP XFB/Gateway file server (`/depot-xt`), the historical Hélios route.
// Wire format, pacing, states B/E and what to do after an interrupted download: docs/protocols/xfb.md.
// No `verify`: the gateway cannot say whether it has a file, so an uncertain send is sent again (and
// the engine says so in the log).
import { TransferError, type ProtocolContext, type ProtocolDefinition, type ProtocolSession } from '../contract.js';
import { WebClient } from '../web/client.js';
import { checkGateway } from './check.js';
import { downloadEntry } from './download.js';
import { listWaiting } from './listing.js';
import { resolveXfbSettings, xfbSettingProblems } from './settings.js';
import { uploadToGateway } from './upload.js';

export const xfbProtocol: ProtocolDefinition = {
  name: 'xfb',
  capabilities: ['send', 'list', 'fetch', 'acknowledge', 'check'],
  validate: (profile) => xfbSettingProblems(profile),
  open: async (context) => openXfbSession(context),
};

export async function openXfbSession(context: ProtocolContext): Promise<ProtocolSession> {
  const [problem] = xfbSettingProblems(context.profile);
  if (problem !== undefined) {
    throw new TransferError('permanent', problem.messageKey, { ...problem.params, key: `profile.${problem.key}` }, { connection: true });
  }
  const settings = resolveXfbSettings(context.profile, context.configDir);
  const client = await WebClient.open(settings.web, [settings.url], context.log);
  const { log } = context;
  return {
    send: (item, options = {}) => uploadToGateway(client, settings, item, options, log),
    list: (options = {}) => listWaiting(client, settings, options, log),
    fetch: (entry, destPath, options = {}) => downloadEntry(client, settings, entry, destPath, options, log),
    // The gateway marks a file taken (state E) by itself once it has sent all of it: nothing to do.
    acknowledge: async () => undefined,
    check: () => checkGateway(client, settings),
    close: () => client.close(),
  };
}
