// Benchmark runner: `npm run bench -- <name> [options]` loads bench/<name>.bench.ts, which prints its
// progress on stderr and ends with one JSON line of figures on stdout.
import { readdir } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';

const here = path.dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const available = (await readdir(here)).filter((f) => f.endsWith('.bench.ts')).map((f) => f.slice(0, -'.bench.ts'.length));

if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <name> [options]\navailable: ${available.join(', ') || '(none)'}`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(pathToFileURL(path.join(here, `${name}.bench.ts`)).href)) as {
  run: (args: string[]) => Promise<Record<string, unknown>>;
};
const result = await mod.run(args);
process.stdout.write(`${JSON.stringify({ bench: name, at: new Date().toISOString(), ...result })}\n`);
