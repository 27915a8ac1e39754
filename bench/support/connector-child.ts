// The stand-in Bot Connector (test/support/connector.ts) in a process of its own, counting what it receives: how
// many messages, and the most that arrived within any one second, in one conversation and for the whole app.
import { FakeConnector } from '../../test/support/connector';
import { answer, exitWithParent } from './child';

/** The most arrivals within any window of `windowMs` (times sorted ascending). */
export function maxInWindow(times: number[], windowMs = 1000): number {
  let best = 0;
  let start = 0;
  for (let end = 0; end < times.length; end += 1) {
    while (times[end]! - times[start]! >= windowMs) start += 1;
    best = Math.max(best, end - start + 1);
  }
  return best;
}

async function main(): Promise<void> {
  const connector = new FakeConnector();
  await connector.start();
  exitWithParent(() => connector.stop());
  answer({
    mark: () => ({ mark: connector.mark() }),
    stats: (args) => {
      const since = connector.sent.slice(Number(args.since ?? 0));
      const all = since.map((s) => s.at).sort((a, b) => a - b);
      const byChat = new Map<string, number[]>();
      for (const s of since) byChat.set(s.conversationId, [...(byChat.get(s.conversationId) ?? []), s.at]);
      return {
        count: since.length,
        conversations: byChat.size,
        perAppMax: maxInWindow(all),
        perConversationMax: Math.max(
          0,
          ...[...byChat.values()].map((t) => maxInWindow(t.sort((a, b) => a - b))),
        ),
        firstAt: all[0] ?? 0,
        lastAt: all.at(-1) ?? 0,
      };
    },
  });
  process.send!({ type: 'ready', url: connector.url });
}

if (require.main === module) void main();
