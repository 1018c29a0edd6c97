// "Did you mean …?" for misspelt keys, sections and names.

/**
 * The closest candidate: the same word in another case, or at most 2 edits away (and fewer edits than
 * letters, so that `xy` does not suggest `at`); undefined if none.
 */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    if (candidate.toLowerCase() === word.toLowerCase()) return candidate;
    // More than 2 letters apart in length is more than 2 edits: a huge key costs nothing to rule out.
    if (Math.abs(word.length - candidate.length) > 2) continue;
    const distance = levenshtein(word.toLowerCase(), candidate.toLowerCase());
    if (distance <= 2 && distance < Math.min(word.length, candidate.length) && distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
