// The `xfb` protocol's keys, all in the profile (`profiles.<P>.xfb`): the gateway's address, the
// collectivité's credentials and DGFiP codes, and the connection keys shared with `http`. Described in
// docs/protocols/xfb.md.
import { accepted, customType, declareProtocol, refused, say, textType } from '../options.js';
import { certWithKey, webOptions, webUrlComplaint } from '../web/options.js';

const required = say('protocol.web.setting.required', 'key');
const notText = say('protocol.web.setting.text', 'key');

/** The upload address (`…/depot-xt`): no query, no credentials. */
const gatewayUrlType = customType('url', (value, context) => {
  const complaint = webUrlComplaint(context.key, value);
  return complaint === undefined ? accepted(new URL(String(value).trim())) : refused(complaint);
});

export const xfbDeclaration = declareProtocol({
  name: 'xfb',
  capabilities: ['send', 'list', 'fetch', 'acknowledge', 'check'],
  features: { usesInbox: false },
  options: [
    { name: 'url', where: 'profile', type: gatewayUrlType, required: true, missing: required, help: 'protocol.xfb.help.url' },
    { name: 'user', where: 'profile', type: textType(notText, 'notEmpty'), required: true, missing: required, help: 'protocol.xfb.help.user' },
    { name: 'password', where: 'profile', type: textType(notText, 'notEmpty'), required: true, missing: required, secret: true, help: 'protocol.xfb.help.password' },
    { name: 'partner', where: 'profile', type: textType(notText, 'notEmpty'), required: true, missing: required, help: 'protocol.xfb.help.partner' },
    { name: 'application', where: 'profile', type: textType(notText, 'notEmpty'), required: true, missing: required, help: 'protocol.xfb.help.application' },
    ...webOptions,
  ],
  checks: [certWithKey],
});
