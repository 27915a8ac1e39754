// Compiles the bot's sources for the bench's child processes, so that what a child measures is the bot as it runs
// in production (plain JavaScript), not the bot plus ts-node and the TypeScript compiler (about 200 MB resident on
// their own). Each file is transpiled with TypeScript's own transpileModule, as ts-node's transpile-only mode does:
// no type check here (`npm run typecheck` does that), so it takes about a second, not the build's many.
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** The repository's root: this file is bench/support/compile.ts. */
export const ROOT = path.resolve(__dirname, '..', '..');

/** Where the compiled copy goes: under dist/ (ignored by git), so Node finds node_modules from there. */
export const OUT = path.join(ROOT, 'dist', 'bench');

/** The folders the children need: the bot and the bench's helpers; and the card templates the bot imports. */
const SOURCES = ['src', path.join('bench', 'support')];
const TEMPLATES = 'cards';

function tsFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return tsFiles(full);
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [full] : [];
  });
}

let done = false;

/**
 * Transpiles src/ and bench/support/ into dist/bench/ (once per process) and returns the compiled path of a source
 * file, e.g. compiled('bench/support/scale-child.ts').
 */
export function compiled(source: string): string {
  if (!done) {
    const config = ts.readConfigFile(path.join(ROOT, 'tsconfig.json'), (f) => ts.sys.readFile(f));
    const { options } = ts.parseJsonConfigFileContent(config.config, ts.sys, ROOT);
    const compilerOptions = { ...options, sourceMap: false, inlineSourceMap: false };
    for (const file of SOURCES.flatMap((d) => tsFiles(path.join(ROOT, d)))) {
      const out = path.join(OUT, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
      const { outputText } = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
        compilerOptions,
        fileName: file,
      });
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, outputText);
    }
    for (const name of fs.readdirSync(path.join(ROOT, TEMPLATES)).filter((f) => f.endsWith('.json')))
      fs.cpSync(path.join(ROOT, TEMPLATES, name), path.join(OUT, TEMPLATES, name));
    done = true;
  }
  return path.join(OUT, source).replace(/\.ts$/, '.js');
}
