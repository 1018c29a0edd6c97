// A protocol's definition built from its declaration (protocols/options.ts) and the code that opens its
// sessions: settings are checked against the declaration once, when a session opens, and a session's
// methods must be exactly the declared capabilities.
import { TransferError, type Capability, type ProtocolContext, type ProtocolDefinition, type ProtocolSession } from './contract.js';
import { settingProblems, type ProtocolDeclaration } from './options.js';

type SettingsOf = Pick<ProtocolContext, 'profile' | 'options' | 'configDir'>;

export function defineProtocol(
  declaration: ProtocolDeclaration,
  implementation: {
    /** A part of the declared ones (a protocol whose sides are also defined apart); all of them by default. */
    capabilities?: readonly Capability[];
    /** Given settings the declaration accepts. */
    open(context: ProtocolContext): ProtocolSession | Promise<ProtocolSession>;
  },
): ProtocolDefinition {
  return {
    name: declaration.name,
    capabilities: implementation.capabilities ?? declaration.capabilities,
    validate: (profile, options) => settingProblems(declaration, { profile, options }),
    open: async (context) => {
      refuseInvalidSettings(declaration, context);
      return implementation.open(context);
    },
  };
}

/** Invalid settings reaching a session are refused like a connection that cannot be made: the first problem, permanent. */
export function refuseInvalidSettings(declaration: ProtocolDeclaration, context: SettingsOf): void {
  const [problem] = settingProblems(declaration, { profile: context.profile, options: context.options }, context.configDir);
  if (problem === undefined) return;
  const params = { ...problem.params, key: `${problem.where}.${problem.key}` };
  throw new TransferError('permanent', problem.messageKey, params, { connection: true, fixKey: problem.fixKey });
}

/** The method of the session each capability stands for. */
export const METHOD_OF: Record<Capability, keyof ProtocolSession> = {
  send: 'send',
  list: 'list',
  fetch: 'fetch',
  acknowledge: 'acknowledge',
  check: 'check',
  verify: 'verify',
  follow: 'follow',
};

/** What differs between a session's methods and its definition's capabilities (a bug of the protocol), in words for a developer. */
export function capabilityMismatch(definition: Pick<ProtocolDefinition, 'name' | 'capabilities'>, session: ProtocolSession): string | undefined {
  for (const [capability, method] of Object.entries(METHOD_OF) as Array<[Capability, keyof ProtocolSession]>) {
    const declared = definition.capabilities.includes(capability);
    const present = typeof session[method] === 'function';
    if (declared && !present) return `protocol ${definition.name} declares the capability ${capability} but its session has no ${method}()`;
    if (present && !declared) return `protocol ${definition.name} has ${method}() on its session but does not declare the capability ${capability}`;
  }
  return undefined;
}

/** Throws an internal error (after closing the session) when the session does not match its definition. */
export async function refuseMismatchedSession(definition: Pick<ProtocolDefinition, 'name' | 'capabilities'>, session: ProtocolSession): Promise<void> {
  const mismatch = capabilityMismatch(definition, session);
  if (mismatch === undefined) return;
  await session.close().catch(() => undefined);
  throw new Error(mismatch);
}
