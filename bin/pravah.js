#!/usr/bin/env node
// `npx pravah ...`: runs src/main.ts on the Node 24 that `npm ci` installed (the `node`
// devDependency), even when the node on PATH is older and cannot run TypeScript, and with the V8
// flags the platform runs with (docs/operations.md, "Memory").
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Keep in step with package.json's start and bench scripts. */
const platformFlags = ['--max-semi-space-size=16', '--max-old-space-size=1024'];
// A flag the operator set (on node's command line or in NODE_OPTIONS) is theirs: not overridden.
const nameOf = (flag) => flag.split('=')[0];
const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)].map(nameOf);
const v8Flags = platformFlags.filter((flag) => !given.includes(nameOf(flag)));
const main = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const major = Number(process.versions.node.split('.')[0]);
if (major >= 24 && v8Flags.length === 0) {
  await import(main);
} else {
  let node = process.execPath;
  if (major < 24) {
    const require = createRequire(import.meta.url);
    try {
      node = require.resolve('node/bin/node');
    } catch {
      console.error(`pravah needs Node 24 or later (this is ${process.version}); run \`npm ci\` to install it`);
      process.exit(1);
    }
  }
  const child = spawn(node, [...process.execArgv, ...v8Flags, main, ...process.argv.slice(2)], { stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => (signal ? process.kill(process.pid, signal) : process.exit(code ?? 1)));
}
