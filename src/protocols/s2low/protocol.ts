// The `s2low` protocol: S²LOW, the ADULLACT tiers de télétransmission, for Hélios (PES). A PES Aller is
// posted (`send`, a pending receipt with the transaction number), followed until the Trésorerie's
// acquit (`follow`), and the PES Retour are listed, fetched and marked read. No `verify`: S²LOW cannot
// be asked whether it has a file; a second send of the same file is refused as a "doublon", which is
// how a send after a lost answer learns that the first one arrived (docs/protocols/s2low.md).
import type { ProtocolContext, ProtocolSession } from '../contract.js';
import { defineProtocol } from '../define.js';
import { WebClient } from '../web/client.js';
import { S2lowApi } from './api.js';
import { certificateOutOfDate, openClientCertificate } from './certificate.js';
import { checkS2low } from './check.js';
import { followTransaction } from './follow.js';
import { s2lowDeclaration } from './options.js';
import { fetchRetour, listRetours, markRead } from './retours.js';
import { postPes, type PostedBySha1 } from './send.js';
import { resolveS2lowSettings } from './settings.js';

export const s2lowProtocol = defineProtocol(s2lowDeclaration, { open: (context) => openS2lowSession(context) });

export async function openS2lowSession(context: ProtocolContext): Promise<ProtocolSession> {
  const settings = resolveS2lowSettings(context.profile, context.options, context.configDir);
  const client = await WebClient.open(settings.web, [settings.url], context.log);
  const { log } = context;
  let api: S2lowApi;
  try {
    api = new S2lowApi(client, settings, openClientCertificate(client.tlsOptions, settings.certificatePath), log);
  } catch (error) {
    await client.close();
    throw error;
  }
  const posted: PostedBySha1 = new Map();
  /** An expired certificate: S²LOW would close the connection right after the handshake. Said before trying. */
  const usable = (): void => {
    const problem = certificateOutOfDate(api.certificate);
    if (problem !== undefined) throw problem;
  };
  return {
    send: async (item, options = {}) => {
      usable();
      return postPes(api, item, options, posted, log);
    },
    follow: async (pending, receiptPath, options = {}) => {
      usable();
      return followTransaction(api, pending, receiptPath, options, log);
    },
    list: async (options = {}) => {
      usable();
      return listRetours(api, options, log);
    },
    fetch: async (entry, destPath, options = {}) => {
      usable();
      return fetchRetour(api, entry, destPath, options, log);
    },
    acknowledge: async (entry) => {
      usable();
      return markRead(api, entry, log);
    },
    check: () => checkS2low(api, settings, client),
    close: () => client.close(),
  };
}
