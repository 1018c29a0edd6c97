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
import { reportSchemaIssues } from './schema-issues.js';
import { configSchema } from './schema.js';
import { configWarnings } from './warnings.js';

export interface LoadOptions {
  /** Default 'required': a variable used by a partner's setting and not set is a configuration error. */
  partnerSecrets?: PartnerSecrets;
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
  const source = await readSource(path, format, locator, problems);
  if (source === undefined) throw problems.toError();

  const tree = expandTree(source, env, { percent: format === 'ini', partnerSecrets: options.partnerSecrets ?? 'required' }, problems, secrets);
  const parsed = configSchema.safeParse(tree);
  if (!parsed.success) reportSchemaIssues(parsed.error.issues, problems);
  checkReferences(tree, format, problems, dirname(path));
  // Registered even when invalid: whatever prints the error next must not show them either.
  registerSecrets(secrets);
  if (!parsed.success || problems.size > 0) throw problems.toError();
  const config = buildConfig(parsed.data, { file: path, format, secrets });
  const warnings = configWarnings(config, locator, secrets);
  if (warnings.length > 0) config.warnings = warnings;
  return config;
}

