// Collects every problem of one load, each placed in its file (and INI section/line), translated,
// free of secrets, so that ConfigError can list them all at once.
import { ConfigError, type ConfigProblem } from '../shared/errors.js';
import { isSecretKey, SECRET_MASK } from '../shared/redact.js';
import { t, type Params } from '../i18n/index.js';
import { MAX_LIST_CHARS, MAX_QUOTED_CHARS, shortenQuoted } from './limits.js';

/** A key's place in the model: `['scenarios', 'MANDATS', 'backup', 'ifExists']`. */
export type KeyPath = ReadonlyArray<string | number>;

export interface KeyLocation {
  file: string;
  /** INI section as written. */
  section?: string;
  line?: number;
  /** JSON and YAML: 1-based column of the key (or of the syntax error). */
  column?: number;
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
  /** Lines of the file's own syntax shown under the fix (not translated: syntax, not words). */
  example?: readonly string[];
}

/** A problem as added: its words are made when the list is read, once every secret of the load is known. */
interface PendingProblem {
  problem: Omit<ConfigProblem, 'message' | 'fix' | 'example'>;
  example?: readonly string[] | undefined;
  message: string;
  fix: string | undefined;
  params: Params;
}

export class ProblemList {
  private readonly problems: PendingProblem[] = [];
  /** File, key and line of the problems with a key: one problem per written key. */
  private readonly placed = new Set<string>();
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
    const key = spec.path.length > 0 ? spec.path.map((segment) => shortenQuoted(String(segment))).join('.') : shortenQuoted(location.writtenKey);
    const problem: PendingProblem['problem'] = { file: location.file, key };
    if (location.section !== undefined) problem.section = location.section;
    if (location.line !== undefined) problem.line = location.line;
    if (location.column !== undefined) problem.column = location.column;
    // One problem per written key: a missing variable would otherwise also be reported as a bad value.
    if (key !== '') {
      const place = JSON.stringify([problem.file, key, problem.line ?? null]);
      if (this.placed.has(place)) return;
      this.placed.add(place);
    }
    if (!this.files.includes(problem.file)) this.files.push(problem.file);
    this.problems.push({ problem, message: spec.message, fix: spec.fix, params, example: spec.example });
  }

  /** Sorted by file, line and column, secrets masked. */
  toArray(): ConfigProblem[] {
    const order = (p: PendingProblem) => [this.files.indexOf(p.problem.file), p.problem.line ?? Number.MAX_SAFE_INTEGER, p.problem.column ?? 0] as const;
    const secrets = [...this.secrets].filter((s) => s.length >= 3).sort((a, b) => b.length - a.length);
    const clean = (text: string) => secrets.reduce((out, secret) => (out.includes(secret) ? out.split(secret).join(SECRET_MASK) : out), text);
    return this.problems
      .map((p, index) => ({ p, index }))
      .sort((a, b) => {
        const [fileA, lineA, columnA] = order(a.p);
        const [fileB, lineB, columnB] = order(b.p);
        return fileA - fileB || lineA - lineB || columnA - columnB || a.index - b.index;
      })
      .map(({ p }) => words(p, clean));
  }

  toError(): ConfigError {
    return new ConfigError(this.toArray());
  }
}

/** Paths of files and folders, and words of ordo: shown whole. */
const WHOLE_PARAMS = new Set(['file', 'dir', 'source', 'kind', 'syntax']);
/** Lists (accepted keys or values, existing profiles…): longer, but still bounded — profiles come from the file. */
const LIST_PARAMS = new Set(['accepted', 'available', 'known', 'names']);

/**
 * Every other parameter quotes the file — a value, a key, a section — and is shortened, after its
 * secrets are masked (a cut secret would no longer be recognised): a 10 MB value must not become a
 * 10 MB message.
 */
function words(pending: PendingProblem, clean: (text: string) => string): ConfigProblem {
  const params: Params = {};
  for (const [name, value] of Object.entries(pending.params)) {
    if (typeof value !== 'string' || WHOLE_PARAMS.has(name)) params[name] = value;
    else params[name] = shortenQuoted(clean(value), LIST_PARAMS.has(name) ? MAX_LIST_CHARS : MAX_QUOTED_CHARS);
  }
  const problem: ConfigProblem = { ...pending.problem, message: clean(t(pending.message, params)) };
  if (pending.fix !== undefined) problem.fix = clean(t(pending.fix, params));
  if (pending.example !== undefined) problem.example = [...pending.example];
  return problem;
}
