import { describe, expect, it } from 'vitest';
import { TransportClosedError } from '../errors.js';
import { OpenSubscriptions } from './open-subscriptions.js';

function running(): { closes: number; close(): Promise<void> } {
  const counted = {
    closes: 0,
    close: async () => {
      counted.closes += 1;
    },
  };
  return counted;
}

describe('open subscriptions', () => {
  it('closes every subscription still open, once, and refuses use afterwards', async () => {
    const open = new OpenSubscriptions('test');
    const [first, second] = [running(), running()];
    await open.track(first).close();
    open.track(second);
    open.assertOpen();
    await open.closeAll();
    expect([first.closes, second.closes]).toEqual([1, 1]);
    expect(() => open.assertOpen()).toThrow(TransportClosedError);
  });
});
