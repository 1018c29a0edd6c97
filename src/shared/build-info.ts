// What the build put into the program: its version and commit, whether it runs as a single executable
// (ordo.exe, ordo-linux-x64) and on which Node.js. Both bundles (scripts/bundle.mjs, scripts/build-exe.mjs)
// define ORDO_BUILD, so they read no file beside themselves; tsc's dist/ alone reads ../../package.json.
import { readFileSync } from 'node:fs';
import { isSea } from 'node:sea';

declare const ORDO_BUILD: { version: string; commit: string } | undefined;

export interface BuildInfo {
  version: string;
  /** The short commit the bundle was built from (`+changes` when the sources differed); undefined unbundled. */
  commit: string | undefined;
  executable: boolean;
  node: string;
}

let cached: BuildInfo | undefined;

export function buildInfo(): BuildInfo {
  cached ??= typeof ORDO_BUILD === 'undefined' ? fromPackage() : { ...ORDO_BUILD, executable: isSea(), node: process.versions.node };
  return cached;
}

function fromPackage(): BuildInfo {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return { version: pkg.version, commit: undefined, executable: false, node: process.versions.node };
}
