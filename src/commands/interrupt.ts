// SIGINT/SIGTERM while the engine works: the first one asks it to stop after the file in progress
// (the file stays safely queued); a second one stops at once with 130.
const SIGNALS: NodeJS.Signals[] = process.platform === 'win32' ? ['SIGINT', 'SIGTERM', 'SIGBREAK'] : ['SIGINT', 'SIGTERM'];

export class Interrupt {
  private readonly controller = new AbortController();
  private readonly onFirst: () => void;
  private received = 0;
  private installed = false;

  constructor(onFirst: () => void) {
    this.onFirst = onFirst;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  install(): void {
    if (this.installed) return;
    this.installed = true;
    for (const name of SIGNALS) process.on(name, this.handle);
  }

  uninstall(): void {
    if (!this.installed) return;
    this.installed = false;
    for (const name of SIGNALS) process.off(name, this.handle);
  }

  private readonly handle = (): void => {
    this.received++;
    if (this.received === 1) {
      this.onFirst();
      this.controller.abort();
      return;
    }
    // The user insists: the only place where ordo exits without waiting for pending output.
    process.exit(130);
  };
}
