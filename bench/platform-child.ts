// A platform process of its own for a benchmark: `startRolesInChild(env)` forks this file, which
// starts the platform with the given settings (its ROLES among them) and no HTTP listener, reports
// its CPU when asked and stops when told. Distributed mode on one machine: each process has its own
// event loop, as each role would in a deployment.
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import pino from 'pino';
import { loadConfig } from '../src/config.ts';
import { startPlatform } from '../src/app.ts';
import { createLogger } from '../src/platform/logger.ts';
import { childAsker } from './support.ts';

type Cpu = { user: number; system: number };
export type RolesProcess = { pid: number; cpu(): Promise<Cpu>; stop(): Promise<void> };
type Command = { id: number; cmd: 'cpu' | 'stop' };

/** Starts the platform with `env` in a child process; resolves once it has started. `logFile` takes its warnings. */
export async function startRolesInChild(env: Record<string, string>, logFile?: string): Promise<RolesProcess> {
  const child = fork(fileURLToPath(import.meta.url), [JSON.stringify({ env, logFile })], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [...process.execArgv],
  });
  const [first] = (await Promise.race([once(child, 'message'), once(child, 'exit').then(() => [{ failed: `exited with ${child.exitCode}` }])])) as [{ ready?: true; failed?: string }];
  if (!first.ready) throw new Error(`the ${env['ROLES']} process did not start: ${first.failed ?? 'no reason given'}`);
  const asker = childAsker(child);
  const ask = <T>(cmd: Command['cmd']): Promise<T> => asker<T>({ cmd });
  return {
    pid: child.pid!,
    cpu: () => ask<Cpu>('cpu'),
    async stop() {
      if (child.exitCode !== null) return;
      await ask('stop');
      child.disconnect();
      if (child.exitCode === null) await once(child, 'exit');
    },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.send) {
  const { env, logFile } = JSON.parse(process.argv[2]!) as { env: Record<string, string>; logFile?: string };
  const log = createLogger(logFile ? { level: 'warn', destination: pino.destination({ dest: logFile, sync: false, append: true }) } : { level: 'silent' });
  try {
    const platform = await startPlatform(loadConfig(env), { log, listen: false });
    process.on('message', (m: Command) => {
      void (async () => {
        if (m.cmd === 'cpu') process.send!({ id: m.id, value: process.cpuUsage() });
        else if (m.cmd === 'stop') {
          await platform.stop();
          process.send!({ id: m.id, value: null });
        }
      })();
    });
    process.send({ ready: true });
  } catch (error) {
    process.send({ failed: (error as Error).message });
    process.exitCode = 1;
  }
}
