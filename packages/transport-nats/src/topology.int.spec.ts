import { InvalidInputError } from '@eventloom/core';
import { jetstreamManager } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { expect, it } from 'vitest';
import { partitionConsumerName } from './index.js';
import { closedAfterEach, describeNats, freshTransports } from './testing/nats.js';

describeNats('NATS topology: stream and consumers created or updated at start', () => {
  const nats = freshTransports();
  const transport = closedAfterEach(nats);

  it('creates the stream once and brings it to the latest configuration', async () => {
    const first = await transport({ stream: { maxAgeMs: 3_600_000 } });
    await transport({ stream: { maxAgeMs: 3_600_000 } });
    const updated = await transport({ stream: { maxAgeMs: 7_200_000, duplicateWindowMs: 300_000 } });
    const info = await (await jetstreamManager(first.connection)).streams.info(updated.streamName);
    expect(info.config).toMatchObject({
      subjects: [`${nats.prefix}.>`],
      max_age: nanos(7_200_000),
      duplicate_window: nanos(300_000),
    });
  });

  it('refuses a stream made with another partition count, naming the option', async () => {
    await transport({ stream: { partitions: 16 } });
    const other = transport({ stream: { partitions: 8 } });
    await expect(other).rejects.toBeInstanceOf(InvalidInputError);
    await expect(transport({ stream: { partitions: 8 } })).rejects.toThrow('nats.stream.partitions');
  });

  it("updates a group's partition consumers when a member joins with other topics or timeouts", async () => {
    const member = await transport();
    const options = { group: 'topology.group', topics: ['topology.a'], ackTimeoutMs: 5_000 };
    await (await member.subscribe(options, async () => {})).close();
    await (
      await member.subscribe(
        { ...options, topics: ['topology.a', 'topology b'], ackTimeoutMs: 9_000 },
        async () => {},
      )
    ).close();
    const jsm = await jetstreamManager(member.connection);
    for (const partition of [0, member.partitions - 1]) {
      const info = await jsm.consumers.info(
        member.streamName,
        partitionConsumerName('topology.group', partition),
      );
      expect(info.config).toMatchObject({
        durable_name: `topology%2Egroup%p${partition}`,
        ack_policy: 'explicit',
        ack_wait: nanos(9_000),
        max_deliver: 6,
        max_ack_pending: 1,
        filter_subjects: [
          nats.subjects.subjectOf('topology.a', partition),
          `${nats.prefix}.topology%20b.%p${partition}`,
        ],
      });
    }
    const names = [];
    for await (const info of jsm.consumers.list(member.streamName)) names.push(info.name);
    expect(names.filter((name) => name.startsWith('topology%2Egroup'))).toHaveLength(member.partitions);
  });
});
