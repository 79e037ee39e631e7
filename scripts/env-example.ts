// Writes .env.example from the variables config.ts reads: `node scripts/env-example.ts`.
import { writeFile } from 'node:fs/promises';
import { variables } from '../src/config.ts';

const lines = ['# Every variable Pravah reads (src/config.ts). All are optional: unset means embedded mode.', ''];
for (const [name, spec] of Object.entries(variables)) {
  lines.push(`# ${spec.doc}`);
  lines.push(spec.default === undefined ? `# ${name}=` : `# ${name}=${['DB_POOL_SIZE', 'EVENT_CONCURRENCY'].includes(name) ? '' : spec.default}`);
  lines.push('');
}
await writeFile(new URL('../.env.example', import.meta.url), lines.join('\n'));
console.log('.env.example written');
