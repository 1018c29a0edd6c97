// `xfb` diagnose: the connection checks shared with `http`, then the listing — which proves both that
// the credentials are accepted and that the gateway answers in the format ordo reads. The partner and
// application codes are only checked by the gateway when a file is sent: a probe cannot test them.
import { isTransferError, type CheckResult, type ProtocolLog } from '../contract.js';
import { connectionChecks } from '../web/check.js';
import type { WebClient } from '../web/client.js';
import { listGateway } from './listing.js';
import type { XfbSettings } from './settings.js';

const quiet: ProtocolLog = { debug: () => undefined, info: () => undefined, warn: () => undefined };

const CREDENTIAL_REFUSALS = new Set(['protocol.xfb.badCredentials', 'protocol.xfb.partnerNotAuthorised', 'protocol.web.authRefused', 'protocol.web.forbidden']);
/** The gateway answered, but not with a listing. (Network failures are reported by the connection checks.) */
const LISTING_REFUSALS = new Set(['protocol.web.notFound', 'protocol.web.redirect', 'protocol.web.rejected', 'protocol.web.unexpectedStatus', 'protocol.web.serverError', 'protocol.web.busy', 'protocol.web.answerTooLarge']);

export async function checkGateway(client: WebClient, settings: XfbSettings): Promise<CheckResult[]> {
  return connectionChecks(client, settings.url, 'xfb', async (fresh) => {
    let files;
    try {
      files = await listGateway(fresh, settings, {}, quiet);
    } catch (error) {
      const id = probeCheckId(error);
      if (id === undefined || !isTransferError(error)) throw error;
      return [{ id, status: 'fail', key: error.key, params: error.params, ...(error.fixKey === undefined ? {} : { fixKey: error.fixKey }) }];
    }
    const waiting = files.filter((file) => file.state === 'B').length;
    return [
      { id: 'xfb.credentials', status: 'ok', key: 'protocol.xfb.check.credentialsOk', params: { host: settings.url.host } },
      { id: 'xfb.listing', status: 'ok', key: 'protocol.xfb.check.listingOk', params: { waiting, taken: files.length - waiting } },
    ];
  });
}

function probeCheckId(error: unknown): string | undefined {
  if (!isTransferError(error)) return undefined;
  if (CREDENTIAL_REFUSALS.has(error.key)) return 'xfb.credentials';
  if (error.key.startsWith('protocol.xfb.') || LISTING_REFUSALS.has(error.key)) return 'xfb.listing';
  return undefined;
}
