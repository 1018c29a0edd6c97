// The `pastell` protocol: documents sent to the State's partners through a Pastell (Libriciel)
// platform — PES Aller to the Trésorerie through the TdT (helios-generique, ls-helios), actes, or any
// document type — followed until the TdT answers, and PES Retour retrieved. docs/protocols/pastell.md.
import { TransferError, type ProtocolContext, type ProtocolSession } from '../contract.js';
import { defineProtocol } from '../define.js';
import { WebClient } from '../web/client.js';
import { PastellApi } from './api.js';
import { checkPastell } from './check.js';
import { followDocument } from './follow.js';
import { pastellDeclaration } from './options.js';
import { acknowledgeRetour, fetchRetour, listRetours } from './retour.js';
import { sendDocument, verifySent } from './send.js';
import { resolvePastellSettings } from './settings.js';

export const pastellProtocol = defineProtocol(pastellDeclaration, { open: (context) => openPastellSession(context) });

export async function openPastellSession(context: ProtocolContext): Promise<ProtocolSession> {
  const settings = resolvePastellSettings(context.profile, context.options, context.configDir, context.profileName);
  const client = await WebClient.open(settings.web, [settings.api], context.log);
  const api = new PastellApi(client, settings);
  const { log } = context;
  const inbox = (): string => {
    if (settings.inbox === undefined) throw new TransferError('permanent', 'protocol.pastell.noInbox', {}, { fixKey: 'protocol.pastell.noInbox.fix' });
    return settings.inbox;
  };
  return {
    send: (item, options = {}) => sendDocument(api, item, options, log),
    follow: (pending, receiptPath, options = {}) => followDocument(api, pending, receiptPath, options, log),
    verify: (item) => verifySent(api, item),
    list: async (options = {}) => listRetours(api, inbox(), options, log),
    fetch: (entry, destPath, options = {}) => fetchRetour(api, entry, destPath, options, log),
    acknowledge: (entry) => acknowledgeRetour(api, entry, log),
    check: () => checkPastell(client, settings),
    close: () => client.close(),
  };
}
