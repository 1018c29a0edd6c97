// The `http` protocol's validated keys (http/options.ts) turned into the settings its sessions work with.
import { readSettings } from '../options.js';
import { resolveWebSettings, type WebSettings } from '../web/settings.js';
import { httpDeclaration, type HttpAuth } from './options.js';

export type { HttpAuth } from './options.js';

export interface HttpSettings {
  fileType: string;
  /** The file type's address; `{name}` stands for the file's name, URL-encoded. */
  urlTemplate: string;
  auth: HttpAuth;
  method: 'POST' | 'PUT';
  body: 'multipart' | 'raw';
  fileField: string;
  /** Extra form fields, in order; `{name}` in a value stands for the file's name. */
  fields: Array<[string, string]>;
  /** Statuses that mean success; undefined: any 2xx. */
  successStatus: number[] | undefined;
  /** Text the answer must contain (a regular expression) to count as a success. */
  successPattern: RegExp | undefined;
  web: WebSettings;
}

/** Call only on settings `settingProblems` found nothing wrong with. */
export function resolveHttpSettings(profile: Record<string, unknown>, options: Record<string, unknown>, configDir: string): HttpSettings {
  const { profile: p, options: o } = readSettings(httpDeclaration.options, { profile, options }, configDir);
  // Without fileType, the profile has a single address (validation made sure of it).
  const fileType = o.fileType ?? Object.keys(p.urls)[0] ?? '';
  return {
    fileType,
    urlTemplate: p.urls[fileType] ?? '',
    auth: p.auth ?? { type: 'none' },
    method: p.method,
    body: p.body,
    fileField: p.fileField.trim(),
    fields: o.fields ?? [],
    successStatus: p.successStatus,
    successPattern: p.successPattern,
    web: resolveWebSettings(profile, configDir),
  };
}
