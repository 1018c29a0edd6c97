// A seeded pseudo-random generator (mulberry32) so that a failing fault campaign can be replayed:
// every campaign prints its seed; `ORDO_FAULT_SEED=<seed> npx vitest run test/fault` runs it again.

export interface Prng {
  readonly seed: number;
  /** [0, 1) */
  next(): number;
  /** An integer in [min, max]. */
  int(min: number, max: number): number;
  /** A float in [min, max). */
  between(min: number, max: number): number;
  bytes(length: number): Buffer;
}

export function prng(seed: number): Prng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    seed,
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    bytes(length) {
      const buffer = Buffer.allocUnsafe(length);
      let i = 0;
      for (; i + 4 <= length; i += 4) buffer.writeUInt32LE(Math.floor(next() * 4294967296), i);
      for (; i < length; i++) buffer[i] = Math.floor(next() * 256);
      return buffer;
    },
  };
}

/** The seed of this run: `ORDO_FAULT_SEED` when set (to replay a failure), else a fresh one. */
export function seedFor(label: string): number {
  const fromEnv = process.env.ORDO_FAULT_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const seed = Number(fromEnv);
    if (!Number.isInteger(seed)) throw new Error(`ORDO_FAULT_SEED must be an integer, not ${JSON.stringify(fromEnv)}`);
    console.log(`[fault] ${label}: seed ${seed >>> 0} (from ORDO_FAULT_SEED)`);
    return seed >>> 0;
  }
  const seed = Math.floor(Math.random() * 4294967296) >>> 0;
  console.log(`[fault] ${label}: seed ${seed} (replay with ORDO_FAULT_SEED=${seed})`);
  return seed;
}

/** How many kills a campaign makes: `ORDO_FAULT_KILLS` (to keep development runs short), else `fallback`. */
export function killCount(fallback: number): number {
  const fromEnv = process.env.ORDO_FAULT_KILLS;
  if (fromEnv === undefined || fromEnv === '') return fallback;
  const count = Number(fromEnv);
  if (!Number.isInteger(count) || count < 1) throw new Error(`ORDO_FAULT_KILLS must be a positive integer, not ${JSON.stringify(fromEnv)}`);
  return count;
}
