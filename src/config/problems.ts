// Collects every problem of one load, each placed in its file (and INI section/line), translated,
// free of secrets, so that ConfigError can list them all at once.
import { ConfigError, type ConfigProblem } from '../core/errors.js';
import { isSecretKey, SECRET_MASK } from '../core/redact.js';
import { t, type Params } from '../i18n/index.js';

/** A key's place in the model: `['scenarios', 'MANDATS', 'backup', 'ifExists']`. */
export type KeyPath = ReadonlyArray<string | number>;

export interface KeyLocation {
  file: string;
  /** INI section as written. */
  section?: string;
  line?: number;
  /** The key as written in its file (INI: within its section, e.g. `backup.ifExists`). */
  writtenKey?: string;
  /** INI: model path of the section (`scenarios.MANDATS`), to write other keys relative to it. */
  sectionPath?: string;
}

export function keyPathText(path: KeyPath): string {
  return path.join('.');
}

/** Where each key was written. JSON/YAML files register nothing: keys are shown as dotted paths. */
export class KeyLocator {
  private readonly locations = new Map<string, KeyLocation>();

  constructor(readonly file: string) {}

  set(path: KeyPath, location: KeyLocation): void {
    const key = keyPathText(path);
    if (!this.locations.has(key)) this.locations.set(key, location);
  }

  /** The exact place, else the first line written under it, else its nearest enclosing section. */
  locate(path: KeyPath): KeyLocation & { writtenKey: string } {
    const text = keyPathText(path);
    const exact = this.locations.get(text);
    if (exact) return { ...exact, writtenKey: exact.writtenKey ?? relativeKey(text, exact) };
    let firstChild: KeyLocation | undefined;
    for (const [key, location] of this.locations) {
      if (!key.startsWith(`${text}.`) || location.line === undefined) continue;
      if (firstChild?.line === undefined || location.line < firstChild.line) firstChild = location;
    }
    if (firstChild) return { ...withoutWrittenKey(firstChild), writtenKey: relativeKey(text, firstChild) };
    for (let length = path.length - 1; length >= 0; length--) {
      const ancestor = this.locations.get(keyPathText(path.slice(0, length)));
      if (ancestor) return { ...withoutWrittenKey(ancestor), writtenKey: relativeKey(text, ancestor) };
    }
    return { file: this.file, writtenKey: text };
  }
}

function withoutWrittenKey(location: KeyLocation): KeyLocation {
  const { writtenKey: _ignored, ...rest } = location;
  return rest;
}

function relativeKey(text: string, location: KeyLocation): string {
  const base = location.sectionPath;
  if (base === undefined || base === '') return text;
  return text.startsWith(`${base}.`) ? text.slice(base.length + 1) : text;
}

export interface ProblemSpec {
  /** Where in the model (empty for a line or section that is not a key); placed by the locator unless `at` is given. */
  path: KeyPath;
  at?: KeyLocation & { writtenKey: string };
  /** Catalog keys. Params get `{key}` (the key as written) unless given. */
  message: string;
  fix?: string | undefined;
  params?: Params;
}

export class ProblemList {
  private readonly problems: ConfigProblem[] = [];
  /** Files in the order problems are listed: the loaded file first. */
  private readonly files: string[];

  constructor(
    private readonly locator: KeyLocator,
    private readonly secrets: ReadonlySet<string>,
  ) {
    this.files = [locator.file];
  }

  get size(): number {
    return this.problems.length;
  }

  /** How `path` is written in its file (for messages that name another key). */
  writtenKey(path: KeyPath): string {
    return this.locator.locate(path).writtenKey;
  }

  add(spec: ProblemSpec): void {
    const location = spec.at ?? this.locator.locate(spec.path);
    const params: Params = { key: location.writtenKey, ...spec.params };
    if (params.value !== undefined && spec.path.some((segment) => typeof segment === 'string' && isSecretKey(segment))) {
      params.value = SECRET_MASK;
    }
    const problem: ConfigProblem = {
      file: location.file,
      key: spec.path.length > 0 ? keyPathText(spec.path) : location.writtenKey,
      message: t(spec.message, params),
    };
    if (location.section !== undefined) problem.section = location.section;
    if (location.line !== undefined) problem.line = location.line;
    if (spec.fix !== undefined) problem.fix = t(spec.fix, params);
    // One problem per written key: a missing variable would otherwise also be reported as a bad value.
    const same = (p: ConfigProblem) => p.file === problem.file && p.key === problem.key && p.line === problem.line;
    if (problem.key !== '' && this.problems.some(same)) return;
    if (!this.files.includes(problem.file)) this.files.push(problem.file);
    this.problems.push(problem);
  }

  /** Sorted by file then line, secrets masked. */
  toArray(): ConfigProblem[] {
    const order = (p: ConfigProblem) => [this.files.indexOf(p.file), p.line ?? Number.MAX_SAFE_INTEGER] as const;
    return this.problems
      .map((p, index) => ({ p, index }))
      .sort((a, b) => {
        const [fileA, lineA] = order(a.p);
        const [fileB, lineB] = order(b.p);
        return fileA - fileB || lineA - lineB || a.index - b.index;
      })
      .map(({ p }) => this.mask(p));
  }

  toError(): ConfigError {
    return new ConfigError(this.toArray());
  }

  private mask(problem: ConfigProblem): ConfigProblem {
    const secrets = [...this.secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
    const clean = (text: string) => secrets.reduce((out, secret) => out.split(secret).join(SECRET_MASK), text);
    const masked: ConfigProblem = { ...problem, message: clean(problem.message) };
    if (problem.fix !== undefined) masked.fix = clean(problem.fix);
    return masked;
  }
}
