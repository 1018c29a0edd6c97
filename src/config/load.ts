// Loading the configuration: find the file, read it (JSON, YAML or INI), resolve environment
// references, check everything, and either return the OrdoConfig or throw ConfigError with every
// problem found.
import { dirname, resolve } from 'node:path';
import { registerSecrets } from '../shared/redact.js';
import { buildConfig } from './build.js';
import { findConfigFile } from './discovery.js';
import { expandTree, type PartnerSecrets } from './expand.js';
import type { OrdoConfig } from './model.js';
import { KeyLocator, ProblemList } from './problems.js';
import { formatOf, readSource } from './read-source.js';
import { checkReferences } from './references.js';
import { checkScenariosDeclared } from './scenarios-declared.js';
import { reportSchemaIssues } from './schema-issues.js';
import { configSchema } from './schema.js';
import { configWarnings } from './warnings.js';

export interface LoadOptions {
  /** Default 'required': a variable used by a partner's setting and not set is a configuration error. */
  partnerSecrets?: PartnerSecrets;
  /**
   * Default: 'required' when partners' secrets are (the commands that act on scenarios): a file that
   * declares no scenario is a configuration error. 'optional' for `config show`, `logs`, `rename`.
   */
  scenarios?: 'required' | 'optional';
}

export async function loadConfig(options: { config?: string | undefined; cwd: string; env: NodeJS.ProcessEnv } & LoadOptions): Promise<OrdoConfig> {
  return loadConfigFile(await findConfigFile(options), options.env, options);
}

export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv, options: LoadOptions = {}): Promise<OrdoConfig> {
  const path = resolve(file);
  const secrets = new Set<string>();
  const locator = new KeyLocator(path);
  const problems = new ProblemList(locator, secrets);
  const format = formatOf(path);
  if (format === undefined) {
    problems.add({ path: [], at: { file: path, writtenKey: '' }, message: 'config.file.format', fix: 'config.file.format.fix', params: { file: path } });
    throw problems.toError();
  }
  // What is read but ignored, as Windows ignores it (hconnect.ini): said by `config check`.
  const readWarnings = new ProblemList(locator, secrets);
  const source = await readSource(path, format, locator, problems, readWarnings);
  if (source === undefined) throw problems.toError();
  const partnerSecrets = options.partnerSecrets ?? 'required';
  if ((options.scenarios ?? (partnerSecrets === 'required' ? 'required' : 'optional')) === 'required') {
    checkScenariosDeclared(source, format, path, problems);
  }

  const tree = expandTree(source, env, { percent: format === 'ini', partnerSecrets }, problems, secrets);
  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) reportSchemaIssues(parsed.error.issues, problems);
  checkReferences(tree, format, problems, dirname(path));
  // Registered even when invalid: whatever prints the error next must not show them either.
  registerSecrets(secrets);
  if (!parsed.success || problems.size > 0) throw problems.toError();
  const config = buildConfig(parsed.data, { file: path, format, secrets });
  const warnings = [...readWarnings.toArray(), ...configWarnings(config, locator, secrets)];
  if (warnings.length > 0) config.warnings = warnings;
  return config;
}

