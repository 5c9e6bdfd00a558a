import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { configuredBackends } from '@eventloom/example-kit';
import { afterAll, describe, it } from 'vitest';
import { runDemoAndCheck } from './testing/run-demo.js';

const folder = mkdtempSync(join(tmpdir(), 'eventloom-course-enrolment-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const backends = configuredBackends();
// With no server configured the file still reports what it skipped.
if (backends.length === 0) it.skip('runs on every configured server (none is)', () => {});

describe.each(backends)('course enrolment on $name', ({ name, config }) => {
  it('ends as on memory: three enrolments invoiced, one refunded', async () => {
    // Topics and consumer group of this run only, so that runs sharing a broker never meet.
    const run = randomBytes(3).toString('hex');
    await runDemoAndCheck({
      store: `sqlite:${join(folder, `${run}.db`)}`,
      ...config,
      name: `course-enrolment-${run}`,
      topicPrefix: `ce-${run}.`,
    });
    console.log(`course enrolment ran on ${name}`);
  });
});
