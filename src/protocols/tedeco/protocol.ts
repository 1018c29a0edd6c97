// The `tedeco` protocol: a TEDECO / Gex400 agent (or a successor) that watches a spool folder. Sending
// writes a data file and its request into `<spool>/ead/<ead>/`; retrieving collects the agent's return
// files from `<spool>/eaa/a001` and `a020`. Described in docs/protocols/tedeco.md.
//
// The spool has two independent sides, each also a definition of its own so that the contract suite
// checks each against what it declares: the request side cannot list (the agent consumes what we
// write), the return side cannot send. The registered protocol is both in one session.
import { dryRunCounters } from '../../naming/counter-store.js';
import type { CheckResult, ProtocolContext, ProtocolSession } from '../contract.js';
import { defineProtocol, refuseInvalidSettings } from '../define.js';
import { checkRequestSide, checkReturnSide, checkSpoolRoot } from './check.js';
import { tedecoDeclaration } from './options.js';
import { acknowledgeReturn, fetchReturn, listReturns, type ReturnSide } from './returns.js';
import { sendPair, verifyPair, type RequestSide } from './send.js';
import { resolveTedecoSettings } from './settings.js';
import { spoolLayout, type SpoolLayout } from './spool.js';

type Clock = () => Date;
const clock: Clock = () => new Date();

export const tedecoRequestSide = defineProtocol(tedecoDeclaration, {
  capabilities: ['send', 'verify', 'check'],
  open: (context) => requestSession(sideOf(context, clock)),
});

export const tedecoReturnSide = defineProtocol(tedecoDeclaration, {
  capabilities: ['list', 'fetch', 'acknowledge', 'check'],
  open: (context) => returnSession(sideOf(context, clock)),
});

export const tedecoProtocol = defineProtocol(tedecoDeclaration, { open: (context) => bothSides(sideOf(context, clock)) });

/** A side opened with the caller's clock (tests: a year change), its settings checked as the definitions' `open` does. */
export function openRequestSide(context: ProtocolContext, now: Clock = clock): ProtocolSession {
  refuseInvalidSettings(tedecoDeclaration, context);
  return requestSession(sideOf(context, now));
}

export function openTedecoSession(context: ProtocolContext, now: Clock = clock): ProtocolSession {
  refuseInvalidSettings(tedecoDeclaration, context);
  return bothSides(sideOf(context, now));
}

function bothSides(side: RequestSide): ProtocolSession {
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
    close: () => Promise.resolve(),
  };
}

function returnSession(side: ReturnSide): ProtocolSession {
  return {
    list: (options = {}) => listReturns(side, options),
    fetch: (entry, destPath, options = {}) => fetchReturn(side, entry, destPath, options),
    acknowledge: (entry) => acknowledgeReturn(side, entry),
    check: async () => withSpoolRoot(side.layout, () => checkReturnSide(side.layout)),
    close: () => Promise.resolve(),
  };
}

async function withSpoolRoot(layout: SpoolLayout, rest: () => Promise<CheckResult[]>): Promise<CheckResult[]> {
  const root = await checkSpoolRoot(layout);
  return root.status === 'fail' ? [root] : [root, ...(await rest())];
}

/** What both sides work with (the return side needs only part of it). */
function sideOf(context: ProtocolContext, now: Clock): RequestSide {
  const settings = resolveTedecoSettings(context.profile, context.options, context.configDir);
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
