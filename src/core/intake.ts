// How a file enters a scenario's queue, decided by where it lies (docs/cli.md, `ordo send`).
import { isAbsolute, relative, resolve, sep } from 'node:path';
import type { ScenarioConfig } from '../config/model.js';
import { setAsideItemDir } from './failed-items.js';

export type Intake =
  /** In the scenario's source folder (what scan finds): claimed, i.e. moved into the queue atomically. */
  | { kind: 'claim' }
  /** Set aside in the scenario's own failed/ folder: moved back into the queue; its reason goes with it. */
  | { kind: 'move-back'; itemDir: string }
  /** Anywhere else (an operator's one-off file): copied into the queue, the original stays where it is. */
  | { kind: 'copy' };

export function intakeOf(root: string, scenario: ScenarioConfig, path: string): Intake {
  if (scenario.source !== undefined && isInside(resolve(scenario.source), resolve(path))) return { kind: 'claim' };
  const itemDir = setAsideItemDir(root, scenario.name, path);
  if (itemDir !== undefined) return { kind: 'move-back', itemDir };
  return { kind: 'copy' };
}

function isInside(folder: string, path: string): boolean {
  const rel = relative(folder, path);
  return rel !== '' && rel.split(sep)[0] !== '..' && !isAbsolute(rel);
}
