// Runs the scale suite on its own and prints its figures: `npx ts-node --transpile-only bench/scale-main.ts [--quick]`.
// The bench's runner (bench/run.ts) runs it with every other suite.
import { met } from './types';
import { scale } from './suites/scale';

async function main() {
  const quick = process.argv.includes('--quick');
  const t0 = Date.now();
  const figures = await scale.run({ quick, log: (line) => console.error(line) });
  console.table(
    figures.map((f) => ({
      figure: f.name,
      value: `${f.value} ${f.unit}`,
      goal: f.goal ? `${f.goal.text}: ${met(f) ? 'met' : 'missed'}` : '',
      note: f.note ?? '',
    })),
  );
  console.error(`scale: ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
