import { describe, it } from 'vitest';
import { runDemoAndCheck } from './testing/run-demo.js';

describe('course enrolment on the in-memory store and transport', () => {
  it('enrols and invoices three students and refunds the one whose course is sold out', async () => {
    await runDemoAndCheck({ store: 'memory:', transport: 'memory:' });
  });
});
