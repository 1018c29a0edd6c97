// `http` diagnose: the connection checks shared with `xfb`, then a HEAD request to the scenario's
// address — which shows that it exists and, where the server answers HEAD, that the credentials are
// accepted — without sending any file.
import type { CheckResult } from '../contract.js';
import { discard } from '../web/answers.js';
import { connectionChecks } from '../web/check.js';
import type { WebClient } from '../web/client.js';
import { authorization, endpointAddress } from './upload.js';
import type { HttpSettings } from './settings.js';

export async function checkEndpoint(client: WebClient, settings: HttpSettings): Promise<CheckResult[]> {
  const url = endpointAddress(settings);
  return connectionChecks(client, url, 'http', async (fresh) => {
    const response = await fresh.send({ method: 'HEAD', url, headers: authorization(settings) });
    discard(response.body);
    const status = response.statusCode;
    const params = { url: `${url.origin}${url.pathname}`, fileType: settings.fileType, status };
    if (status === 401 || status === 403) {
      return [{ id: 'http.credentials', status: 'fail', key: 'protocol.http.check.credentialsRefused', params, fixKey: 'protocol.http.check.credentialsRefused.fix' }];
    }
    if (status === 404 || status === 410) return [{ id: 'http.address', status: 'fail', key: 'protocol.http.check.notFound', params, fixKey: 'protocol.http.check.notFound.fix' }];
    if (status >= 500) return [{ id: 'http.address', status: 'fail', key: 'protocol.http.check.serverError', params, fixKey: 'protocol.http.check.serverError.fix' }];
    const address: CheckResult = { id: 'http.address', status: 'ok', key: 'protocol.http.check.addressOk', params };
    if (status >= 200 && status < 300 && settings.auth.type !== 'none') return [address, { id: 'http.credentials', status: 'ok', key: 'protocol.http.check.credentialsOk', params }];
    if (settings.auth.type === 'none') return [address];
    return [address, { id: 'http.credentials', status: 'warn', key: 'protocol.http.check.credentialsUnknown', params }];
  });
}
