// End to end: `pravah serve` in embedded mode starts its own PostgreSQL, prints the URL and the
// first admin login, survives kill -9 (the orphaned server is adopted, stale locks cleared),
// lets CLI commands attach beside it, and stops gracefully on SIGTERM.
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

type Served = { child: ChildProcess; url: string; stdout: string };

function env(dataDir: string): NodeJS.ProcessEnv {
  const e: NodeJS.ProcessEnv = { ...process.env, DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'warn' };
  delete e['DATABASE_URL'];
  delete e['MASTER_KEYS'];
  return e;
}

async function serve(dataDir: string): Promise<Served> {
  const child = spawn(process.execPath, [path.join(root, 'src/main.ts'), 'serve'], { env: env(dataDir), stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in 60 s:\n${stdout}\n${stderr}`)), 60_000);
    child.stdout!.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = /Open (http:\/\/\S+)/.exec(stdout);
      if (m && stdout.includes('Sign in as')) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  return { child, url, stdout };
}

async function loginStatus(url: string, email: string, password: string): Promise<number> {
  const res = await fetch(`${url}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  return res.status;
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('embedded mode launcher', () => {
  let dataDir: string;
  let current: Served | undefined;
  before(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'pravah-embedded-'));
  });
  after(async () => {
    if (current && current.child.exitCode === null) {
      current.child.kill('SIGTERM');
      await exited(current.child);
    }
    const pid = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (pid && alive(pid)) process.kill(pid, 'SIGINT');
    await rm(dataDir, { recursive: true, force: true });
  });

  test('first start initialises PostgreSQL, prints the URL and a one-time admin password', async () => {
    current = await serve(dataDir);
    const m = /Sign in as (\S+) with password (\S+)/.exec(current.stdout);
    assert.ok(m, current.stdout);
    assert.equal(await loginStatus(current.url, m[1]!, m[2]!), 200);
    const keyFile = await stat(path.join(dataDir, 'keys.json'));
    assert.equal(keyFile.mode & 0o777, 0o600);
    const health = await (await fetch(`${current.url}/api/health`)).json();
    assert.equal(health.mode, 'embedded');
    const page = await fetch(`${current.url}/`);
    assert.match(await page.text(), /<div id="root">/);
    (current as Served & { admin?: [string, string] }).admin = [m[1]!, m[2]!];
  });

  test('a CLI command attaches to the running server', async () => {
    const { stdout } = await run(process.execPath, [path.join(root, 'bin/pravah.js'), 'users', 'create', '--email', 'ops@embedded.test', '--role', 'ops'], { env: env(dataDir) });
    const password = /password: (\S+)/.exec(stdout)?.[1];
    assert.ok(password, stdout);
    assert.equal(await loginStatus(current!.url, 'ops@embedded.test', password), 200);
  });

  test('after kill -9 a second start comes back with its data', async () => {
    const [email, password] = (current as Served & { admin: [string, string] }).admin;
    const pgPid = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    current!.child.kill('SIGKILL');
    await exited(current!.child);
    assert.ok(alive(pgPid), 'PostgreSQL outlives the killed app (it is adopted next)');
    current = await serve(dataDir);
    assert.doesNotMatch(current.stdout, /with password/, 'the password is printed only once');
    assert.equal(await loginStatus(current.url, email, password), 200);
    assert.equal(await loginStatus(current.url, 'ops@embedded.test', 'wrong-password-xx'), 401);
  });

  test('a second app on the same data directory is refused', async () => {
    await assert.rejects(serve(dataDir), /already running/);
  });

  test('SIGTERM stops gracefully: the app exits 0 and stops PostgreSQL', async () => {
    const pgPid = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8')).split('\n')[0]);
    current!.child.kill('SIGTERM');
    const { code } = await exited(current!.child);
    assert.equal(code, 0);
    assert.equal(alive(pgPid), false);
    assert.equal(existsSync(path.join(dataDir, 'pg', 'postmaster.pid')), false);
    assert.equal(existsSync(path.join(dataDir, 'pravah.pid')), false);
  });

  test('a stale postmaster.pid (server gone, pid reused) does not stop the next start', async () => {
    const leftover = Number((await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => '')).split('\n')[0]);
    if (leftover && alive(leftover)) {
      process.kill(leftover, 'SIGINT');
      while (alive(leftover)) await new Promise((r) => setTimeout(r, 50));
    }
    const { writeFile } = await import('node:fs/promises');
    // pid 1 is alive but is not PostgreSQL: the lock file must be recognised as stale.
    await writeFile(path.join(dataDir, 'pg', 'postmaster.pid'), `1\n${path.join(dataDir, 'pg')}\n0\n5999\n`);
    current = await serve(dataDir);
    assert.equal((await fetch(`${current.url}/api/ready`)).status, 200);
  });
});
