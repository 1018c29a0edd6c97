// `ordo check-pes`: "before a PES leaves", each file checked on its own (one after the other: each is
// streamed, so memory stays flat however many and however large), with what it says and its problems.
import { resolve } from 'node:path';
import { t } from '../i18n/index.js';
import { checkPesAller, type PesAllerFacts, type PesProblemKey } from '../protocols/common/pes-aller.js';

export interface CheckPesOptions {
  /** Relative paths are read from here; they are reported as given. */
  cwd: string;
  maxBytes?: number | undefined;
}

export interface CheckedPesProblem {
  code: PesProblemKey;
  /** Translated. */
  message: string;
  fix: string;
  line?: number;
  column?: number;
}

export interface CheckedPes {
  /** The path as given. */
  file: string;
  size: number;
  valid: boolean;
  root?: string;
  encoding?: string;
  found: PesAllerFacts;
  problems: CheckedPesProblem[];
}

export interface CheckPesResult {
  /** Every file is a valid PES Aller. */
  valid: boolean;
  files: CheckedPes[];
}

export async function checkPesFiles(files: string[], options: CheckPesOptions): Promise<CheckPesResult> {
  const checked: CheckedPes[] = [];
  for (const file of files) {
    const check = await checkPesAller(resolve(options.cwd, file), { maxBytes: options.maxBytes });
    checked.push({
      file,
      size: check.size,
      valid: check.valid,
      ...(check.root === undefined ? {} : { root: check.root }),
      ...(check.encoding === undefined ? {} : { encoding: check.encoding }),
      found: check.found,
      problems: check.problems.map((problem) => ({
        code: problem.key,
        message: t(problem.key, problem.params),
        fix: t(`${problem.key}.fix`),
        ...(problem.line === undefined ? {} : { line: problem.line }),
        ...(problem.column === undefined ? {} : { column: problem.column }),
      })),
    });
  }
  return { valid: checked.every((f) => f.valid), files: checked };
}
