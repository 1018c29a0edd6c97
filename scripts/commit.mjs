// The commit a build is made from, as `--version --verbose` and `diagnose` show it: the short hash, with
// "+changes" when the sources differ from it; "unknown" outside a git checkout (an npm tarball).
import { execFileSync } from 'node:child_process';

export function commitOf(root) {
  try {
    const head = execFileSync('git', ['rev-parse', '--short=12', 'HEAD'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const changed = execFileSync('git', ['status', '--porcelain', '--', 'src', 'package.json', 'package-lock.json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    return changed === '' ? head : `${head}+changes`;
  } catch {
    return 'unknown';
  }
}
