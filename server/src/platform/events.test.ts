import { describe, expect, it } from 'vitest';
import type { DbOrTx } from './db/index.js';
import { emitInTx, inEventBatch, onEvent, onEvents } from './events.js';

const seen: { by: string; tickets: string[] }[] = [];
onEvents('sla.escalated', async (_tx, events) => void seen.push({ by: 'batch', tickets: events.map((e) => e.ticketId) }));
onEvent('sla.escalated', async (_tx, e) => void seen.push({ by: 'single', tickets: [e.ticketId] }));

const event = (ticketId: string) => ({ ticketId, target: 'first_response', cycle: 1, stepKey: 'half', at: new Date() });
const fakeTx = () => ({}) as DbOrTx;

describe('domain events', () => {
  it('reach a batch listener at once, as a list of one, outside a batch', async () => {
    seen.length = 0;
    await emitInTx(fakeTx(), 'sla.escalated', event('a'), {});
    expect(seen).toEqual([
      { by: 'single', tickets: ['a'] },
      { by: 'batch', tickets: ['a'] },
    ]);
  });

  it("are held for a batch listener until the batch's work is done, then arrive together; single listeners do not wait", async () => {
    seen.length = 0;
    const tx = fakeTx();
    const after = await inEventBatch(tx, async () => {
      await emitInTx(tx, 'sla.escalated', event('a'), {});
      await emitInTx(tx, 'sla.escalated', event('b'), {});
      // Another transaction's events are not held by this batch.
      await emitInTx(fakeTx(), 'sla.escalated', event('elsewhere'), {});
      expect(seen.filter((s) => s.by === 'batch')).toEqual([{ by: 'batch', tickets: ['elsewhere'] }]);
      return [];
    });
    expect(after).toEqual([]);
    expect(seen).toEqual([
      { by: 'single', tickets: ['a'] },
      { by: 'single', tickets: ['b'] },
      { by: 'single', tickets: ['elsewhere'] },
      { by: 'batch', tickets: ['elsewhere'] },
      { by: 'batch', tickets: ['a', 'b'] },
    ]);
  });

  it('deliver nothing when the work fails, and stop holding', async () => {
    seen.length = 0;
    const tx = fakeTx();
    await expect(
      inEventBatch(tx, async () => {
        await emitInTx(tx, 'sla.escalated', event('lost'), {});
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    await emitInTx(tx, 'sla.escalated', event('next'), {});
    expect(seen.filter((s) => s.by === 'batch')).toEqual([{ by: 'batch', tickets: ['next'] }]);
  });
});
