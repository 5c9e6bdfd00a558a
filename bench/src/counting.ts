import { type Measurement, percentile } from './measure.js';

/** Counts deliveries; measures from the first to the last. */
export function counter(count: number) {
  let seen = 0;
  let first = 0;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    finish = resolve;
  });
  return {
    tick() {
      if (seen++ === 0) first = performance.now();
      if (seen === count) finish();
    },
    async measured(name: string): Promise<Measurement> {
      await finished;
      const seconds = (performance.now() - first) / 1_000;
      return { name, operations: count, seconds, perSecond: count / seconds };
    },
  };
}

export function withLatency(measured: Measurement, latencies: number[]): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  return { ...measured, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}
