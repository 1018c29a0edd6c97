// What the build put into the program: its version and commit, whether it runs as a single executable
// (ordo.exe, ordo-linux-x64) and on which Node.js. The executable's bundle (scripts/build-exe.mjs) defines
// ORDO_BUILD, so it reads no file beside itself; the plain build reads ../../package.json, as installed.
import { readFileSync } from 'node:fs';
import { isSea } from 'node:sea';

declare const ORDO_BUILD: { version: string; commit: string } | undefined;

export interface BuildInfo {
  version: string;
  /** The short commit the executable was built from; undefined outside an executable. */
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
