// check-pes: per file, ✔ and what it says, or ✖ and each problem (`file:line:column: …`) with its fix;
// then a summary. The values come from the files: every line is escaped when painted (paint.ts).
import { labelled, t } from '../../i18n/index.js';
import type { CheckedPes, CheckPesResult } from '../../core/check-pes.js';
import { line, MARK, type Line } from '../lines.js';
import { fixLine } from './cycle.js';

export function renderCheckPes(result: CheckPesResult): Line[] {
  const out: Line[] = [];
  for (const file of result.files) out.push(...(file.valid ? validLines(file) : problemLines(file)));
  const valid = result.files.filter((f) => f.valid).length;
  out.push(line('info', t('output.checkPes.summary', { checked: result.files.length, valid, invalid: result.files.length - valid }), { tone: 'bold' }));
  return out;
}

function validLines(file: CheckedPes): Line[] {
  const { found } = file;
  const facts: [string, string | undefined][] = [
    ['output.checkPes.nomFic', found.nomFic],
    ['output.checkPes.typFic', found.typFic],
    ['output.checkPes.idColl', found.idColl],
    ['output.checkPes.codBud', found.codBud],
    ['output.checkPes.libelle', found.libelleColBud],
    ['output.checkPes.exercice', found.exercices.length === 0 ? undefined : found.exercices.join(', ')],
    ['output.checkPes.idPost', found.idPost],
    ['output.checkPes.dteStr', found.dteStr],
  ];
  return [
    line('info', t('output.checkPes.valid', { file: file.file }), { mark: MARK.ok, tone: 'ok' }),
    ...facts.filter(([, value]) => value !== undefined).map(([key, value]) => line('info', `    ${t(key, { value })}`)),
    line('info', `    ${t('output.checkPes.bordereaux', { count: found.bordereaux })}`),
  ];
}

function problemLines(file: CheckedPes): Line[] {
  return file.problems.flatMap((problem) => {
    const place = problem.line === undefined ? file.file : `${file.file}:${problem.line}${problem.column === undefined ? '' : `:${problem.column}`}`;
    return [line('failure', labelled(place, problem.message), { mark: MARK.fail, tone: 'fail' }), fixLine('failure', problem.fix)];
  });
}
