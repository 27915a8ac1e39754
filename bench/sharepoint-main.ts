// Runs the SharePoint store's bench suite on its own and prints its figures:
// node -r ts-node/register/transpile-only bench/sharepoint-main.ts
import { met } from './types';
import { sharepoint } from './suites/sharepoint';

sharepoint.run({ quick: process.argv.includes('--quick'), log: (line) => console.log(line) }).then(
  (figures) => {
    for (const f of figures) {
      const ok = met(f);
      const goal = f.goal ? ` (goal ${f.goal.text}: ${ok ? 'met' : 'missed'})` : '';
      console.log(`${f.name.padEnd(48)} ${String(f.value).padStart(6)} ${f.unit}${goal}`);
    }
  },
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
