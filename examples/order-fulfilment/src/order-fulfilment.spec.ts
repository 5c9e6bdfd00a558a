import { describe, it } from 'vitest';
import { IN_MEMORY_TIMING, runDemoAndCheck } from './testing/run-demo.js';

describe('order fulfilment on the in-memory store and transport', () => {
  it('completes one order and compensates a declined card, an empty shelf and a bank that answers late', async () => {
    await runDemoAndCheck({ store: 'memory:', transport: 'memory:' }, IN_MEMORY_TIMING);
  });
});
