import { describe, expect, it } from 'vitest';
import { outageBackoff } from './connection.js';
import { deliveryCount } from './delivery.js';

describe('deliveryCount', () => {
  it('reads the delivery count from both forms of the ack reply subject', () => {
    expect(deliveryCount('$JS.ACK.S.c.3.10.9.1795333552563750469.0')).toBe(3);
    expect(deliveryCount('$JS.ACK.hub.ACCHASH.S.c.4.10.9.1795333552563750469.0.tok')).toBe(4);
    expect(deliveryCount('')).toBe(1);
  });
});

describe('reconnect backoff', () => {
  it('waits half the outage so far, within its bounds, and starts over after a reconnect', () => {
    let now = 0;
    const backoff = outageBackoff({ maxAttempts: -1, initialMs: 250, maxMs: 5_000 }, () => now);
    expect(backoff.delay()).toBe(250);
    now = 2_000;
    expect(backoff.delay()).toBe(1_000);
    now = 60_000;
    expect(backoff.delay()).toBe(5_000);
    backoff.reset();
    expect(backoff.delay()).toBe(250);
  });
});
