// The load generator (autocannon) in a process of its own. The parent sends the target, how many connections and for
// how long, and the name of an activity maker (see ../suites/load-activities.ts); each request gets the next
// activity from it, so concurrent voters never vote twice on one case.
import autocannon from 'autocannon';
import { answer, exitWithParent } from './child';
import { loadActivity } from './load-activities';

exitWithParent();
answer({
  run: async (args) => {
    const make = loadActivity(String(args.kind), String(args.connector), Number(args.offset ?? 0));
    const result = await autocannon({
      url: `${String(args.url)}/api/messages`,
      connections: Number(args.connections),
      duration: Number(args.seconds),
      requests: [
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          setupRequest: (req) => ({ ...req, body: JSON.stringify(make()) }),
        },
      ],
    });
    return {
      p50: result.latency.p50,
      p99: result.latency.p99,
      max: result.latency.max,
      throughput: result.requests.average,
      total: result.requests.total,
      errors: result.errors + result.timeouts + result.non2xx,
      sent: make.count(),
    };
  },
});
process.send!({ type: 'ready' });
