// rename: `old → new` per file, notes below it, then a summary.
import { labelled, t } from '../../i18n/index.js';
import type { RenameResult } from '../../core/rename.js';
import { line, MARK, type Line } from '../lines.js';

export function renderRename(result: RenameResult, dryRun: boolean): Line[] {
  const out: Line[] = [];
  for (const file of result.files) {
    switch (file.status) {
      case 'renamed':
        out.push(line('info', `${file.from} → ${file.to}`, { mark: MARK.ok, tone: 'ok' }));
        break;
      case 'would-rename':
        out.push(line('info', `${file.from} → ${file.to}`, { mark: MARK.dry, tone: 'dim' }));
        break;
      case 'unchanged':
        out.push(line('info', t('output.rename.unchanged', { file: file.from }), { mark: '=', tone: 'dim' }));
        break;
      case 'error':
        out.push(line('failure', labelled(file.from, file.reason ?? ''), { mark: MARK.fail, tone: 'fail' }));
        break;
    }
    const kind = file.status === 'error' ? 'failure' : 'info';
    for (const note of file.notes) out.push(line(kind, `    ${note}`, { tone: 'dim' }));
  }
  const count = (status: string) => result.files.filter((f) => f.status === status).length;
  const summary = dryRun
    ? t('output.rename.summaryDry', { renamed: count('would-rename'), unchanged: count('unchanged'), errors: count('error') })
    : t('output.rename.summary', { renamed: count('renamed'), unchanged: count('unchanged'), errors: count('error') });
  out.push(line('info', summary, { tone: 'bold' }));
  return out;
}
