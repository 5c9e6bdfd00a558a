import { InvalidInputError, TransportTimeoutError } from '../../errors.js';
import { type ConsumerLagReading, type ConsumerLagSource, requireLagGroup } from '../../observability/lag.js';
import type {
  DeliveryHandler,
  OutgoingMessage,
  SubscribeOptions,
  Subscription,
  Transport,
  TransportCapabilities,
} from '../contract.js';
import { OpenSubscriptions } from '../open-subscriptions.js';
import { encodeBatch } from '../size.js';
import { startSubscription } from '../subscription/engine.js';
import { resolveSubscribeOptions } from '../subscription/options.js';
import { type EngineTuning, engineTuning } from '../subscription/tuning.js';
import type { MemoryBroker } from './broker.js';
import { createMemoryBroker, MEMORY_HEADER_PREFIX } from './broker.js';
import { MemberSource } from './member-source.js';

export interface MemoryTransportOptions extends EngineTuning {
  /** Share one broker between transports to play separate processes; a private one by default. */
  readonly broker?: MemoryBroker;
  /** How long `publish` waits for a broker that is down before a TransportTimeoutError. */
  readonly publishTimeoutMs?: number;
}

export interface MemoryTransport extends Transport, ConsumerLagSource {
  readonly broker: MemoryBroker;
  /** Test hook: puts bytes on `topic` as they are (undecodable ones too), bypassing the codec. */
  injectRaw(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): Promise<void>;
}

export function createMemoryTransport(options: MemoryTransportOptions = {}): MemoryTransport {
  return new InMemoryTransport(options);
}

class InMemoryTransport implements MemoryTransport {
  readonly kind = 'memory';
  readonly broker: MemoryBroker;
  readonly capabilities: TransportCapabilities;
  private readonly publishTimeoutMs: number;
  private readonly subscriptions = new OpenSubscriptions(this.kind);

  constructor(private readonly options: MemoryTransportOptions) {
    this.broker = options.broker ?? createMemoryBroker();
    this.publishTimeoutMs = options.publishTimeoutMs ?? 5_000;
    if (!Number.isSafeInteger(this.publishTimeoutMs) || this.publishTimeoutMs < 1) {
      throw new InvalidInputError(
        'memoryTransport.publishTimeoutMs',
        `must be an integer ≥ 1, got ${this.publishTimeoutMs}`,
      );
    }
    this.capabilities = {
      replayFromStart: true,
      perKeyOrder: true,
      maxMessageBytes: this.broker.maxMessageBytes,
    };
  }

  async publish(batch: readonly OutgoingMessage[]): Promise<void> {
    this.subscriptions.assertOpen();
    const encoded = encodeBatch(batch, {
      headerPrefix: MEMORY_HEADER_PREFIX,
      maxMessageBytes: this.broker.maxMessageBytes,
    });
    if (encoded.length === 0) return;
    if (!(await this.broker.whenUp(this.publishTimeoutMs))) {
      throw new TransportTimeoutError(`publishing ${encoded.length} messages`, this.publishTimeoutMs);
    }
    for (const [topic, messages] of groupByTopic(encoded)) this.broker.append(topic, messages);
  }

  async injectRaw(topic: string, headers: Readonly<Record<string, string>>, body: Uint8Array): Promise<void> {
    this.broker.injectRaw(topic, headers, body);
  }

  async subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.subscriptions.assertOpen();
    const resolved = resolveSubscribeOptions(options);
    const member = this.broker.join(resolved.group, resolved.topics, resolved.from);
    const running = startSubscription({
      ...engineTuning(this.options),
      source: new MemberSource(this.broker, member, resolved.ackTimeoutMs),
      options: resolved,
      binding: { headerPrefix: MEMORY_HEADER_PREFIX },
      handler,
    });
    return this.subscriptions.track(running);
  }

  async consumerLag(group: string): Promise<readonly ConsumerLagReading[]> {
    requireLagGroup(group);
    return this.broker.consumerLag(group);
  }

  async close(): Promise<void> {
    await this.subscriptions.closeAll();
  }
}

function groupByTopic<M extends { topic: string }>(messages: readonly M[]): Map<string, M[]> {
  const byTopic = new Map<string, M[]>();
  for (const message of messages) {
    const list = byTopic.get(message.topic) ?? [];
    list.push(message);
    byTopic.set(message.topic, list);
  }
  return byTopic;
}
