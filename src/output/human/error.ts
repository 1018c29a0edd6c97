// A failed command in human text: the message, the fix, every configuration problem on its own line.
import type { ErrorDescription } from '../describe-error.js';
import { line, MARK, type Line } from '../lines.js';
import { fixLine } from './cycle.js';
import { renderConfigProblems } from './config.js';

export function renderError(description: ErrorDescription, cwd: string): Line[] {
  if (description.problems !== undefined && description.problems.length > 0) {
    return renderConfigProblems(description.problems, cwd);
  }
  const out: Line[] = [line('problem', description.message, { mark: MARK.fail, tone: 'fail' })];
  if (description.fix !== undefined) out.push(fixLine('problem', description.fix));
  if (description.stack !== undefined) out.push(...description.stack.split('\n').map((text) => line('problem', `    ${text.trim()}`, { tone: 'dim' })));
  return out;
}
