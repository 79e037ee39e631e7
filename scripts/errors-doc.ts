// Regenerates the table in docs/errors.md from the error catalogue: `node scripts/errors-doc.ts`.
// test/platform/errors.test.ts fails when the two disagree.
import { readFile, writeFile } from 'node:fs/promises';
import { errorCatalogue } from '../src/platform/errors.ts';

const file = new URL('../docs/errors.md', import.meta.url);
const begin = '<!-- catalogue:begin -->';
const end = '<!-- catalogue:end -->';

export function renderCatalogue(): string {
  const rows = Object.entries(errorCatalogue).map(([code, e]) => `| \`${code}\` | ${e.status} | ${e.retryable ? 'yes' : 'no'} | ${e.summary} |`);
  return [begin, '| code | HTTP status | retryable | meaning |', '|---|---|---|---|', ...rows, end].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const text = await readFile(file, 'utf8');
  const start = text.indexOf(begin);
  const stop = text.indexOf(end);
  if (start < 0 || stop < 0) throw new Error('docs/errors.md lacks the catalogue markers');
  await writeFile(file, text.slice(0, start) + renderCatalogue() + text.slice(stop + end.length));
  console.log('docs/errors.md updated');
}
