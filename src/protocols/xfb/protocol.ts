// The `xfb` protocol: the DGFiP XFB/Gateway file server (`/depot-xt`), the historical Hélios route.
// Wire format, pacing, states B/E and what to do after an interrupted download: docs/protocols/xfb.md.
// No `verify`: the gateway cannot say whether it has a file, so an uncertain send is sent again (and
// the engine says so in the log).
import type { ProtocolContext, ProtocolSession } from '../contract.js';
import { defineProtocol } from '../define.js';
import { WebClient } from '../web/client.js';
import { checkGateway } from './check.js';
import { downloadEntry } from './download.js';
import { listWaiting } from './listing.js';
import { xfbDeclaration } from './options.js';
import { resolveXfbSettings } from './settings.js';
import { uploadToGateway } from './upload.js';

export const xfbProtocol = defineProtocol(xfbDeclaration, { open: (context) => openXfbSession(context) });

export async function openXfbSession(context: ProtocolContext): Promise<ProtocolSession> {
  const settings = resolveXfbSettings(context.profile, context.configDir);
  const client = await WebClient.open(settings.web, [settings.url], context.log);
  const { log } = context;
  return {
    send: (item, options = {}) => uploadToGateway(client, settings, item, options, log),
    // The gateway takes the file only once the form is complete: its closing delimiter waits for beforePublish.
    publishesLast: true,
    list: (options = {}) => listWaiting(client, settings, options, log),
    fetch: (entry, destPath, options = {}) => downloadEntry(client, settings, entry, destPath, options, log),
    // The gateway marks a file taken (state E) by itself once it has sent all of it: nothing to do.
    acknowledge: () => Promise.resolve(),
    check: () => checkGateway(client, settings),
    close: () => client.close(),
  };
}
