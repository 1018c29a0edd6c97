// Turns the schema's findings into problems worded through the catalog (never zod's own English).
import type * as z from 'zod/mini';
import type { KeyPath, ProblemList } from './problems.js';
import { acceptedKeysAt, type LeafProblem } from './schema.js';
import { didYouMean } from './suggest.js';

export function reportSchemaIssues(issues: readonly z.core.$ZodIssue[], problems: ProblemList): void {
  for (const issue of issues) {
    const path: KeyPath = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    switch (issue.code) {
      case 'custom': {
        const leaf = issue.params as LeafProblem;
        problems.add({ path, message: leaf.message, fix: leaf.fix, params: leaf.params ?? {} });
        break;
      }
      case 'unrecognized_keys':
        for (const key of issue.keys) reportUnknownKey(problems, path, key, acceptedKeysAt(path) ?? []);
        break;
      case 'invalid_type':
        if (issue.expected === 'nonoptional') {
          problems.add({ path, message: 'config.key.required', fix: 'config.key.required.fix' });
        } else if (issue.expected === 'object' || issue.expected === 'record') {
          const accepted = acceptedKeysAt(path);
          problems.add({
            path,
            message: path.length === 0 ? 'config.file.notGroup' : 'config.value.group',
            fix: accepted ? 'config.value.group.fix' : undefined,
            params: { accepted: accepted?.join(', ') ?? '' },
          });
        } else {
          problems.add({ path, message: 'config.value.invalid' });
        }
        break;
      default:
        problems.add({ path, message: 'config.value.invalid' });
    }
  }
}

/** "Unknown key", with "did you mean" when a known key is close (case, or 2 typos at most). */
export function reportUnknownKey(problems: ProblemList, parent: KeyPath, key: string, accepted: readonly string[]): void {
  const suggestion = didYouMean(key, accepted);
  problems.add({
    path: [...parent, key],
    message: 'config.key.unknown',
    fix: suggestion !== undefined ? 'config.key.unknown.suggest' : accepted.length > 0 ? 'config.key.unknown.accepted' : 'config.key.unknown.none',
    params: { accepted: accepted.join(', '), suggestion: suggestion === undefined ? '' : problems.writtenKey([...parent, suggestion]) },
  });
}
