// The `tedeco` protocol: a TEDECO / Gex400 agent (or a successor) that watches a spool folder. Sending
// writes a data file and its request into `<spool>/ead/<ead>/`; retrieving collects the agent's return
// files from `<spool>/eaa/a001` and `a020`. Described in docs/protocols/tedeco.md.
//
// The spool has two independent sides, each also a definition of its own so that the contract suite
// checks each against what it declares: the request side cannot list (the agent consumes what we
// write), the return side cannot send. The registered protocol is both in one session.
import { dryRunCounters } from '../../naming/counter-store.js';
import { TransferError, type CheckResult, type ProtocolContext, type ProtocolDefinition, type ProtocolSession } from '../contract.js';
import { checkRequestSide, checkReturnSide, checkSpoolRoot } from './check.js';
import { acknowledgeReturn, fetchReturn, listReturns, type ReturnSide } from './returns.js';
import { sendPair, verifyPair, type RequestSide } from './send.js';
import { resolveTedecoSettings, tedecoProblems, type TedecoSettings } from './settings.js';
import { spoolLayout, type SpoolLayout } from './spool.js';

type Clock = () => Date;

export const tedecoRequestSide: ProtocolDefinition = {
  name: 'tedeco',
  capabilities: ['send', 'verify', 'check'],
  validate: tedecoProblems,
  open: async (context) => openRequestSide(context),
};

export const tedecoReturnSide: ProtocolDefinition = {
  name: 'tedeco',
  capabilities: ['list', 'fetch', 'acknowledge', 'check'],
  validate: tedecoProblems,
  open: async (context) => openReturnSide(context),
};

export const tedecoProtocol: ProtocolDefinition = {
  name: 'tedeco',
  capabilities: ['send', 'verify', 'list', 'fetch', 'acknowledge', 'check'],
  validate: tedecoProblems,
  open: async (context) => openTedecoSession(context),
};

/** `now` is for tests (a year change); sessions otherwise read the clock. */
export function openRequestSide(context: ProtocolContext, now: Clock = () => new Date()): ProtocolSession {
  return requestSession(sideOf(context, now));
}

export function openReturnSide(context: ProtocolContext): ProtocolSession {
  return returnSession(sideOf(context, () => new Date()));
}

export function openTedecoSession(context: ProtocolContext, now: Clock = () => new Date()): ProtocolSession {
  const side = sideOf(context, now);
  return {
    ...requestSession(side),
    ...returnSession(side),
    check: async (options = {}) =>
      withSpoolRoot(side.layout, async () => [...(await checkRequestSide(side, options.writeProbe ?? false)), ...(await checkReturnSide(side.layout))]),
  };
}

function requestSession(side: RequestSide): ProtocolSession {
  return {
    send: (item, options = {}) => sendPair(side, item, options),
    verify: (item) => verifyPair(side, item),
    check: async (options = {}) => withSpoolRoot(side.layout, () => checkRequestSide(side, options.writeProbe ?? false)),
    close: async () => undefined,
  };
}

function returnSession(side: ReturnSide): ProtocolSession {
  return {
    list: (options = {}) => listReturns(side, options),
    fetch: (entry, destPath, options = {}) => fetchReturn(side, entry, destPath, options),
    acknowledge: (entry) => acknowledgeReturn(side, entry),
    check: async () => withSpoolRoot(side.layout, () => checkReturnSide(side.layout)),
    close: async () => undefined,
  };
}

async function withSpoolRoot(layout: SpoolLayout, rest: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  const root = await checkSpoolRoot(layout);
  return root.status === 'fail' ? [root] : [root, ...(await rest())];
}

/** What both sides work with (the return side needs only part of it). */
function sideOf(context: ProtocolContext, now: Clock): RequestSide {
  const settings = settingsOf(context);
  return {
    settings,
    layout: spoolLayout(settings.spool, settings.ead),
    profileName: context.profileName,
    counters: context.dryRun ? dryRunCounters(context.counters) : context.counters,
    dryRun: context.dryRun,
    log: context.log,
    now,
  };
}

/** Invalid settings reaching a session are refused like a connection that cannot be made. */
function settingsOf(context: ProtocolContext): TedecoSettings {
  const [problem] = tedecoProblems(context.profile, context.options);
  if (problem !== undefined) {
    const key = `${problem.where === 'profile' ? `profiles.${context.profileName}.tedeco` : 'options'}.${problem.key}`;
    throw new TransferError('permanent', problem.messageKey, { ...problem.params, key }, { connection: true });
  }
  return resolveTedecoSettings(context.profile, context.options, context.configDir);
}
