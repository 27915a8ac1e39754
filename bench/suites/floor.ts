// THE FLOOR: botbuilder's own cost of a turn. A bare echo bot (bench/support/floor-child.ts) answers a button press
// over HTTP; its CPU time per turn and its latency are what every card action is compared with.
import type { Figure, Suite } from '../types';
import { floorStats } from '../support/session';

export const floor: Suite = {
  name: 'floor',
  async run({ quick, log }) {
    const s = await floorStats(quick);
    log(`floor: ${s.turns} echo turns, ${s.cpuPerTurn.toFixed(2)} ms CPU a turn`);
    const f = (name: string, value: number, note?: string): Figure => ({
      suite: 'floor',
      name,
      value,
      unit: 'ms',
      ...(note ? { note } : {}),
    });
    return [
      f(
        'echo turn: CPU per turn',
        s.cpuPerTurn,
        'bare CloudAdapter on restify, no auth, invoke answered inline',
      ),
      f('echo turn: p50 latency', s.p50),
    ];
  },
};
