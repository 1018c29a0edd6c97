export interface WineSession {
  /** Runs a Windows program to its end; throws with its output when it fails. */
  run(args: string[], cwd: string, env?: NodeJS.ProcessEnv): void;
  /** Stops the prefix's Wine server and removes its folder. */
  close(): void;
}
export function wineLoader(): string | undefined;
export function wineSession(loader: string, prefix: string): WineSession;
