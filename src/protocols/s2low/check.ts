// `s2low` diagnose: the client certificate first (readable, its password right, who it names, until
// when — a warning with the date 30 days before it expires), then the connection checks shared with
// `http` and `xfb` (name, TCP or proxy, S²LOW's own certificate), then test-connexion.php (S²LOW accepts
// the certificate, and the login when one is set) and the list of PES Retour (the Hélios API answers
// this account).
import { isTransferError, type CheckResult } from '../contract.js';
import { connectionChecks } from '../web/check.js';
import type { WebClient } from '../web/client.js';
import { S2lowApi } from './api.js';
import { children } from '../common/xml.js';
import { certificateOutOfDate, certificateParams, daysLeft, EXPIRY_WARNING_DAYS, type ClientCertificate } from './certificate.js';
import type { S2lowSettings } from './settings.js';

export function certificateCheck(certificate: ClientCertificate, now = Date.now()): CheckResult {
  const params = { ...certificateParams(certificate), days: daysLeft(certificate, now) };
  const outOfDate = certificateOutOfDate(certificate, now);
  if (outOfDate !== undefined) return { id: 's2low.certificate', status: 'fail', key: outOfDate.key, params: outOfDate.params, ...(outOfDate.fixKey === undefined ? {} : { fixKey: outOfDate.fixKey }) };
  if (params.days < EXPIRY_WARNING_DAYS) return { id: 's2low.certificate', status: 'warn', key: 'protocol.s2low.check.certificateExpiresSoon', params, fixKey: 'protocol.s2low.check.certificateExpiresSoon.fix' };
  return { id: 's2low.certificate', status: 'ok', key: 'protocol.s2low.check.certificateOk', params };
}

export async function checkS2low(api: S2lowApi, settings: S2lowSettings, client: WebClient): Promise<CheckResult[]> {
  const certificate = certificateCheck(api.certificate);
  if (certificate.status === 'fail') return [certificate];
  // One request only inside the watched connection checks: a second connection would resume the TLS
  // session, and a resumed session shows no server certificate to report.
  const connection = await connectionChecks(client, api.address('testConnexion'), 's2low', async (fresh) => {
    const probe = new S2lowApi(fresh, settings, api.certificate, api.log);
    try {
      return [await testConnexion(probe, settings)];
    } catch (error) {
      const failed = reported(error, 's2low.connexion');
      if (failed === undefined) throw error;
      return [failed];
    }
  });
  if (connection.some((result) => result.status === 'fail')) return [certificate, ...connection];
  return [certificate, ...connection, await heliosCheck(api)];
}

async function testConnexion(probe: S2lowApi, settings: S2lowSettings): Promise<CheckResult> {
  const url = probe.address('testConnexion');
  const response = await probe.send({ method: 'GET', url });
  if (response.statusCode !== 200) throw await probe.statusError(response, url);
  const words = (await response.body.text()).trim();
  // S²LOW's refusal (`KO\n…`) becomes the authentication error it stands for.
  if (words.startsWith('KO')) probe.parseAnswer(Buffer.from(words, 'utf8'), url);
  if (words !== 'OK') return { id: 's2low.connexion', status: 'fail', key: 'protocol.s2low.check.connexionUnexpected', params: { host: probe.host }, fixKey: 'protocol.s2low.notXml.fix' };
  const params = { host: probe.host, subject: probe.certificate.subject, ...(settings.login === undefined ? {} : { user: settings.login.user }) };
  return { id: 's2low.connexion', status: 'ok', key: settings.login === undefined ? 'protocol.s2low.check.connexionOk' : 'protocol.s2low.check.loginOk', params };
}

/** The list of PES Retour: the Hélios module answers this account. */
async function heliosCheck(api: S2lowApi): Promise<CheckResult> {
  try {
    const answer = await api.getXml('list', 'liste');
    if (answer.ok === false) return { id: 's2low.helios', status: 'fail', key: 'protocol.s2low.listRefused', params: { host: api.host }, fixKey: 'protocol.s2low.listRefused.fix' };
    return { id: 's2low.helios', status: 'ok', key: 'protocol.s2low.check.heliosOk', params: { host: api.host, unread: children(answer.node, 'pes_retour').length } };
  } catch (error) {
    const failed = reported(error, 's2low.helios', true);
    if (failed === undefined) throw error;
    return failed;
  }
}

const ANSWER_REFUSALS = new Set(['protocol.web.notFound', 'protocol.web.redirect', 'protocol.web.forbidden', 'protocol.web.authRefused', 'protocol.web.rejected', 'protocol.web.unexpectedStatus', 'protocol.web.answerTooLarge']);

/** S²LOW's own refusals (and, after the connection checks, any failure) as the check they belong to. */
function reported(error: unknown, id: string, any = false): CheckResult | undefined {
  if (!isTransferError(error)) return undefined;
  if (!any && !error.key.startsWith('protocol.s2low.') && !ANSWER_REFUSALS.has(error.key)) return undefined;
  return { id, status: 'fail', key: error.key, params: error.params, ...(error.fixKey === undefined ? {} : { fixKey: error.fixKey }) };
}
