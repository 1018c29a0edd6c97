// config check / config show, and the list of configuration problems (also used for every command
// that fails to load its configuration).
import { isAbsolute, relative } from 'node:path';
import { MAX_PROBLEMS_SHOWN } from '../../config/limits.js';
import { escapeControls, labelled, t } from '../../i18n/index.js';
import type { ConfigProblem } from '../../shared/errors.js';
import { line, MARK, type Line } from '../lines.js';

export interface ConfigSummary {
  file: string;
  format: string;
  profiles: number;
  scenarios: number;
  /** What loads but deserves a look (docs/configuration.md, "Warnings"). */
  warnings: ConfigProblem[];
}

/** `✔ Configuration valid: …`, then each warning as `⚠ <file:line [section] key>: <message> — <fix>`. */
export function renderConfigValid(summary: ConfigSummary, cwd: string): Line[] {
  const { warnings, ...counts } = summary;
  return [
    line('info', t('output.config.valid', { ...counts, file: displayPath(summary.file, cwd) }), { mark: MARK.ok, tone: 'ok' }),
    ...warnings.map((w) => line('info', formatProblem(w, cwd), { mark: MARK.warn, tone: 'warn' })),
  ];
}

export function renderConfigProblems(problems: ConfigProblem[], cwd: string): Line[] {
  const [file, ...others] = new Set(problems.map((p) => p.file));
  const heading = file !== undefined && others.length === 0
    ? t('output.config.invalidIn', { count: problems.length, file: displayPath(file, cwd) })
    : t('output.config.invalid', { count: problems.length });
  const out = [
    line('problem', heading, { mark: MARK.fail, tone: 'fail' }),
    ...problems.slice(0, MAX_PROBLEMS_SHOWN).flatMap((p) => [
      line('problem', `  ${formatProblem(p, cwd)}`),
      ...(p.example ?? []).map((text) => line('problem', `      ${escapeControls(text)}`)),
    ]),
  ];
  const more = problems.length - MAX_PROBLEMS_SHOWN;
  if (more > 0) out.push(line('problem', `  ${t('output.config.more', { count: more })}`));
  return out;
}

/** `automate.ini:14 [scenario:MANDATS] backup.ifExists: <message> — <fix>`; JSON/YAML: `ordo.config.json:12:7 scenarios.…` */
export function formatProblem(problem: ConfigProblem, cwd: string): string {
  const column = problem.column === undefined ? '' : `:${problem.column}`;
  const where = problem.line === undefined ? displayPath(problem.file, cwd) : `${displayPath(problem.file, cwd)}:${problem.line}${column}`;
  const key = problem.section === undefined ? problem.key : `[${problem.section}] ${keyInSection(problem.key, problem.section)}`.trimEnd();
  const fix = problem.fix ? ` — ${problem.fix}` : '';
  return labelled(key === '' ? where : `${where} ${key}`, `${problem.message}${fix}`);
}

/** `scenarios.MANDATS.backup.ifExists` in `[scenario:MANDATS]` is written `backup.ifExists` there. */
function keyInSection(key: string, section: string): string {
  const [kind, name] = section.split(':');
  if (kind === undefined || name === undefined || key === '') return key;
  const prefix = `${kind}s.${name}.`.toLowerCase();
  return key.toLowerCase().startsWith(prefix) ? key.slice(prefix.length) : key;
}

/** Relative to the current folder when inside it (shorter), else as is. */
export function displayPath(file: string, cwd: string): string {
  if (file === '') return file;
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** `config show`: the effective configuration as indented `key: value` lines (YAML-like). */
export function renderConfigShow(effective: unknown): Line[] {
  return yamlish(effective, 0).map((text) => line('data', text));
}

function yamlish(value: unknown, indent: number): string[] {
  const pad = '  '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.every(isScalar)) return [`${pad}${inlineList(value)}`];
    return value.flatMap((item) => {
      const [first = '', ...rest] = yamlish(item, indent + 1);
      return [`${pad}- ${first.trimStart()}`, ...rest];
    });
  }
  if (isRecord(value)) {
    const out: string[] = [];
    for (const [key, v] of Object.entries(value)) {
      if (v === undefined) continue;
      if (isScalar(v)) out.push(`${pad}${key}: ${scalar(v)}`);
      else if (Array.isArray(v) && v.every(isScalar)) out.push(`${pad}${key}: ${inlineList(v)}`);
      else if (isRecord(v) && Object.keys(v).length === 0) out.push(`${pad}${key}: {}`);
      else out.push(`${pad}${key}:`, ...yamlish(v, indent + 1));
    }
    return out;
  }
  // Parsed configuration holds no functions: what is neither a list nor a record is a scalar.
  return [`${pad}${scalar(value as Scalar)}`];
}

function inlineList(values: Scalar[]): string {
  return `[${values.map(scalar).join(', ')}]`;
}

type Scalar = string | number | boolean | bigint | symbol | null | undefined;

function scalar(value: Scalar): string {
  if (value === null || value === undefined) return '~';
  if (typeof value === 'string') {
    if (/[\n\r\t]/.test(value)) return JSON.stringify(value);
    // Single quotes: Windows paths (C:\taskauto) stay readable, YAML does not unescape inside them.
    return value === '' || /^\s|\s$|[:#[\]{},"'&*!|>%@`]|^(true|false|yes|no|null|~|-?\d[\d.]*)$/i.test(value)
      ? `'${value.replace(/'/g, "''")}'`
      : value;
  }
  return String(value);
}

function isScalar(value: unknown): value is Scalar {
  return value === null || (typeof value !== 'object' && typeof value !== 'function');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
