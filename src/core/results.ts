// What the engine returns to commands; src/output renders these (human text or --json).
// The JSON shapes are public (docs/json-output.md): add fields, never rename.
import type { ExitCodeValue } from '../shared/errors.js';
import type { CheckStatus } from '../protocols/contract.js';
import type { FailedItem } from './failed-items.js';

export type FileStatus =
  /** acknowledged by the partner */
  | 'sent'
  /** accepted, the partner confirms later (followed by later runs: `acknowledged` or `refused` then) */
  | 'pending'
  /** a pending send the partner has now accepted for good (its receipt placed in recus/<profile>/ when it has one) */
  | 'acknowledged'
  /** a pending send the partner has now refused (its reason; its receipt placed in recus/<profile>/ when it has one) */
  | 'refused'
  /** permanently refused: moved to failed/<scenario>/ with a reason file */
  | 'failed'
  /** transient failure after the retries: stays queued for the next run */
  | 'deferred'
  /** the failure came after the data left: the partner may have it; checked before any resend */
  | 'uncertain'
  /** identical content already acknowledged for this scenario (use --force to send again): moved to failed/ */
  | 'duplicate'
  /** downloaded into recus/<profile>/ */
  | 'received'
  /** --dry-run: what would have been done */
  | 'would-send'
  | 'would-receive'
  /** listed only (retrieve --list) */
  | 'waiting';

export interface FileOutcome {
  scenario: string;
  direction: 'send' | 'receive';
  /** The file's name as found (send) or as announced by the partner (receive). */
  name: string;
  status: FileStatus;
  size?: number;
  sha256?: string;
  /** The partner's identifier (remote path, document id…). */
  remoteId?: string;
  /** Where the file is now on this machine (queue, backup, failed, recus). */
  localPath?: string;
  /** Translated, secret-free reason for failed / deferred / uncertain / duplicate. */
  reason?: string;
  /** This send resumed interrupted work found at the start of the run. */
  resumed?: boolean;
  /** deferred before its claim: the file is still in (or back in) its source folder, not queued. */
  inSource?: boolean;
  /**
   * A file given to `send` from outside the scenario's source folder: where it stays. It was copied into
   * the queue, never moved; with `failed` and no `localPath`, it could not be read or copied and nothing was queued.
   */
  original?: string;
  /** The partner's later word on a file sent earlier and left `pending` (acknowledged, refused, failed). */
  followed?: boolean;
  /** Where the partner's receipt (PES Acquit) was placed in recus/<profile>/. */
  receipt?: string;
  attempts?: number;
  startedAt?: string;
  endedAt?: string;
}

export interface ScenarioProblem {
  scenario: string;
  /** Translated message, without the scenario's name (the output puts it in front, once). */
  message: string;
  /** The file the scenario stopped on, when it was one file's send (that file is `deferred` in `files`). */
  file?: string;
  fix?: string;
  /** Connection/authentication failure: nothing could be transferred for this scenario. */
  connection?: boolean;
  /** Another run holds this scenario's lock (exit code 5). */
  lockHeld?: boolean;
}

export interface CycleResult {
  command: 'send' | 'retrieve' | 'run' | 'watch';
  dryRun: boolean;
  startedAt: string;
  endedAt: string;
  files: FileOutcome[];
  problems: ScenarioProblem[];
  interrupted: boolean;
  exitCode: ExitCodeValue;
}

export interface ScanCandidate {
  scenario: string;
  path: string;
  name: string;
  size: number;
  /** Modification time in milliseconds (`mtime`, in ISO 8601, in the JSON document). */
  mtimeMs: number;
  /** false: still changing (or its done marker is missing): not taken this time. */
  ready: boolean;
  why?: string;
}

export interface ScanResult {
  scenarios: Array<{
    scenario: string;
    source: string;
    files: ScanCandidate[];
    /** Sub-folders that could not be read (reported, the scan went on). */
    unreadable: string[];
  }>;
  problems: ScenarioProblem[];
  exitCode: ExitCodeValue;
}

export interface DiagnoseCheck {
  id: string;
  /** The scenario or profile concerned, or undefined for global checks. */
  scope?: string;
  status: CheckStatus;
  message: string;
  fix?: string;
  /** Lines shown as they are under the fix (a configuration example in the file's own syntax). */
  example?: string[];
}

export interface DiagnoseResult {
  checks: DiagnoseCheck[];
  exitCode: ExitCodeValue;
  reportFile?: string;
  /** Which ordo runs where. */
  environment?: DiagnoseEnvironment;
  /** The files waiting in failed/ of the scenarios checked (absent when the configuration did not load). */
  failed?: FailedItem[];
}

export interface DiagnoseEnvironment {
  version: string;
  node: string;
  /** true for the single executable (ordo.exe, ordo-linux-x64), which also knows its commit. */
  executable: boolean;
  commit?: string;
  host: string;
  user: string;
  system: string;
  startedBy: { how: 'byHand' | 'scheduler' | 'unknown'; name?: string };
}

export interface WatchCycle {
  cycle: number;
  result: CycleResult;
}
