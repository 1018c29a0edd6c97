// The `http` protocol: a generic HTTP(S) upload in the AIREPPNET style — one address per file type,
// the file raw or as a multipart form, Basic / Bearer / client-certificate authentication.
// Keys, behaviour and examples: docs/protocols/http.md. Send-only: nothing to list or fetch.
import type { ProtocolContext, ProtocolSession } from '../contract.js';
import { defineProtocol } from '../define.js';
import { checkEndpoint } from './check.js';
import { httpDeclaration } from './options.js';
import { resolveHttpSettings } from './settings.js';
import { endpointAddress, uploadFile } from './upload.js';
import { WebClient } from '../web/client.js';

export const httpProtocol = defineProtocol(httpDeclaration, { open: (context) => openHttpSession(context) });

export async function openHttpSession(context: ProtocolContext): Promise<ProtocolSession> {
  const settings = resolveHttpSettings(context.profile, context.options, context.configDir);
  const client = await WebClient.open(settings.web, [endpointAddress(settings)], context.log);
  return {
    send: (item, options = {}) => uploadFile(client, settings, item, options, context.log),
    // The partner takes the file only once the request's body is complete: its last bytes wait for beforePublish.
    publishesLast: true,
    check: () => checkEndpoint(client, settings),
    close: () => client.close(),
  };
}
