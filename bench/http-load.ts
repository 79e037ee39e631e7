// HTTP load for the benchmarks: two clients over the same plan, each run in a child process so that it
// does not share the server's event loop, and what the server spent meanwhile.
//
// autocannon with `overallRate` is a closed loop with a per-second budget: each connection sends
// rate/connections requests back to back from the start of each second, then waits for the next
// second. At 1,000/s over 10 connections that is a burst of 10 requests in flight every second until
// its 1,000 are answered, then silence: latencies measure a server saturated by 10 concurrent
// requests, not a steady 1,000/s. More connections make the burst wider, not smoother.
//
// `drivePaced` is an open loop, the way a steady client (or many traders' terminals together) sends:
// request i is due at start + i/rate (`uniform`) or after exponential gaps of the same mean
// (`poisson`, seeded), and goes out when due on a free keep-alive connection, on a new one when all
// are busy (up to `MAX_CONNECTIONS`, as more terminals would), so a slow answer never holds back the
// next request. Its latency runs from when it was due, not from when it went out, so a client or
// server that falls behind is charged for it (no coordinated omission). It writes prebuilt requests
// on raw sockets and reads Content-Length bodies, so the client itself costs little CPU on a shared
// machine. `connections` are opened before the clock starts.

import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { GCProfiler } from 'node:v8';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { percentile } from './support.ts';
import { seededRandom } from '../test/fakes/fake-server.ts';

const CHILD_ENV = 'PRAVAH_BENCH_LOAD_CHILD';
const thisFile = fileURLToPath(import.meta.url);
const round = (n: number, digits = 3) => Number(n.toFixed(digits));
/** Connections the paced client may open; past that, requests wait in the client (counted in latency). */
const MAX_CONNECTIONS = 256;

export type Client = 'autocannon' | 'uniform' | 'poisson';

/** `rate` 0 (autocannon only): no pacing, each connection sends its next request once answered. */
export interface LoadPlan {
  url: string;
  headers: Record<string, string>;
  /** Request paths, used in turn from `offset`. */
  paths: string[];
  rate: number;
  seconds: number;
  connections: number;
  offset: number;
}

export interface LoadFigures {
  client: Client;
  p50Ms: number; p90Ms: number; p99Ms: number; maxMs: number;
  achievedRate: number; requests: number; bytesPerResponse: number; non2xx: number; errors: number;
  /** autocannon: its own histogram (whole milliseconds). */
  autocannon?: { p50Ms: number; p99Ms: number; averageRps: number };
  /** Paced clients: how late requests went out (a client behind schedule) and time from sending alone. */
  paced?: { sendLagP99Ms: number; sendLagMaxMs: number; fromSendP50Ms: number; fromSendP99Ms: number; connectionsUsed: number };
}

function summarise(client: Client, took: number[], extra: Omit<LoadFigures, 'client' | 'p50Ms' | 'p90Ms' | 'p99Ms' | 'maxMs'>): LoadFigures {
  took.sort((a, b) => a - b);
  return { client, p50Ms: round(percentile(took, 50)), p90Ms: round(percentile(took, 90)), p99Ms: round(percentile(took, 99)), maxMs: round(took.at(-1) ?? 0, 2), ...extra };
}

// ---------------------------------------------------------------------------------------------------
// autocannon (no type declarations: loaded through require, given the small shape used here)

interface AutocannonResult { requests: { average: number; total: number }; throughput: { total: number }; latency: { p50: number; p99: number }; duration: number; errors: number; non2xx: number; '2xx': number }
interface AutocannonInstance {
  on(event: 'response', listener: (client: unknown, statusCode: number, bytes: number, responseTime: number) => void): void;
  on(event: 'done', listener: (result: AutocannonResult) => void): void;
  on(event: 'error', listener: (error: Error) => void): void;
}
interface AutocannonRequest { method: string; path: string; setupRequest?: (request: AutocannonRequest) => AutocannonRequest }
type Autocannon = (options: { url: string; connections: number; overallRate?: number; duration: number; headers: Record<string, string>; requests: AutocannonRequest[] }) => AutocannonInstance;

/** autocannon over the plan; latencies are the per-response times it emits (its histogram rounds to ms). */
export function driveAutocannon(plan: LoadPlan): Promise<LoadFigures> {
  const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;
  let next = plan.offset;
  const nextPath = () => plan.paths[next++ % plan.paths.length] as string;
  const took: number[] = [];
  return new Promise((resolve, reject) => {
    const instance = autocannon({
      url: plan.url,
      connections: plan.connections,
      ...(plan.rate > 0 ? { overallRate: plan.rate } : {}),
      duration: plan.seconds,
      headers: plan.headers,
      requests: [{ method: 'GET', path: nextPath(), setupRequest: (request) => ({ ...request, path: nextPath() }) }],
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode === 200) took.push(responseTime);
    });
    instance.on('error', reject);
    instance.on('done', (result) => {
      resolve(summarise('autocannon', took, {
        achievedRate: Math.round(result['2xx'] / result.duration),
        requests: result.requests.total,
        bytesPerResponse: Math.round(result.throughput.total / Math.max(1, result.requests.total)),
        non2xx: result.non2xx,
        errors: result.errors,
        autocannon: { p50Ms: result.latency.p50, p99Ms: result.latency.p99, averageRps: round(result.requests.average, 1) },
      }));
    });
  });
}

// ---------------------------------------------------------------------------------------------------
// The paced client

/** Due times in ms from the start: evenly spaced, or a Poisson process of the same rate. */
function schedule(kind: 'uniform' | 'poisson', rate: number, seconds: number): Float64Array {
  const count = Math.floor(rate * seconds);
  const due = new Float64Array(count);
  const random = seededRandom(20240401); // seeded: every run sends on the same schedule
  let t = 0;
  for (let i = 0; i < count; i++) {
    due[i] = kind === 'uniform' ? (i * 1000) / rate : t;
    t += (-Math.log(1 - random()) * 1000) / rate;
  }
  return due;
}

interface Pending { due: number; request: Buffer }
interface Connection { socket: net.Socket; busy: Pending & { sent: number } | null; chunks: Buffer[]; length: number }

const HEADER_END = Buffer.from('\r\n\r\n');

/** The status and total length of a complete response at the head of `data`, or null while incomplete. */
function parseResponse(data: Buffer): { status: number; length: number } | null {
  const end = data.indexOf(HEADER_END);
  if (end < 0) return null;
  const head = data.toString('latin1', 0, end);
  const status = Number(head.slice(9, 12));
  const match = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (!match) throw new Error(`response without Content-Length (status ${status}); the paced client reads only those`);
  const length = end + 4 + Number(match[1]);
  return data.length >= length ? { status, length } : null;
}

/** Open-loop load on the schedule `kind`; see the top of this file. */
export function drivePaced(kind: 'uniform' | 'poisson', plan: LoadPlan): Promise<LoadFigures> {
  const target = new URL(plan.url);
  const port = Number(target.port);
  const extra = Object.entries(plan.headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
  const requestFor = (path: string) => Buffer.from(`GET ${path} HTTP/1.1\r\nhost: ${target.host}\r\n${extra}\r\n`, 'latin1');
  const requests = plan.paths.map(requestFor);
  const due = schedule(kind, plan.rate, plan.seconds);
  const took: number[] = [];
  const fromSend: number[] = [];
  const lag: number[] = [];
  const queue: Pending[] = [];
  const idle: Connection[] = [];
  let next = 0;
  let done = 0;
  let non2xx = 0;
  let errors = 0;
  let bytes = 0;
  let start = 0;
  let opened = 0;

  return new Promise((resolve, reject) => {
    const finish = () => {
      for (const c of idle) c.socket.destroy();
      resolve(summarise(kind, took, {
        achievedRate: Math.round(took.length / plan.seconds),
        requests: done,
        bytesPerResponse: Math.round(bytes / Math.max(1, done)),
        non2xx,
        errors,
        paced: {
          sendLagP99Ms: round(percentile(lag.sort((a, b) => a - b), 99)),
          sendLagMaxMs: round(lag.at(-1) ?? 0),
          fromSendP50Ms: round(percentile(fromSend.sort((a, b) => a - b), 50)),
          fromSendP99Ms: round(percentile(fromSend, 99)),
          connectionsUsed: opened,
        },
      }));
    };
    const send = (connection: Connection, pending: Pending) => {
      const sent = performance.now();
      lag.push(sent - pending.due);
      connection.busy = { ...pending, sent };
      connection.socket.write(pending.request);
    };
    const release = (connection: Connection) => {
      connection.busy = null;
      const waiting = queue.shift();
      if (waiting) send(connection, waiting);
      else idle.push(connection);
    };
    const open = (): Promise<Connection> => new Promise((ready, fail) => {
      opened++;
      const socket = net.connect({ host: target.hostname, port, noDelay: true });
      const connection: Connection = { socket, busy: null, chunks: [], length: 0 };
      socket.once('connect', () => ready(connection));
      socket.once('error', fail);
      socket.on('data', (chunk: Buffer) => {
        connection.chunks.push(chunk);
        connection.length += chunk.length;
        const data = connection.chunks.length === 1 ? chunk : Buffer.concat(connection.chunks, connection.length);
        const response = parseResponse(data);
        if (!response || !connection.busy) return;
        const now = performance.now();
        const rest = data.subarray(response.length);
        connection.chunks = rest.length > 0 ? [rest] : [];
        connection.length = rest.length;
        if (response.status === 200) took.push(now - connection.busy.due);
        else non2xx++;
        fromSend.push(now - connection.busy.sent);
        bytes += response.length;
        done++;
        release(connection);
        if (done === due.length) finish();
      });
      socket.on('close', () => {
        if (connection.busy && done < due.length) {
          errors++;
          reject(new Error('the server closed a connection with a request in flight'));
        }
      });
    });

    const pump = () => {
      const now = performance.now() - start;
      while (next < due.length && (due[next] as number) <= now) {
        const pending = { due: start + (due[next] as number), request: requests[(plan.offset + next) % requests.length] as Buffer };
        next++;
        const connection = idle.pop();
        if (connection) send(connection, pending);
        else {
          queue.push(pending);
          if (opened < MAX_CONNECTIONS) open().then(release, reject);
        }
      }
      if (next < due.length) setTimeout(pump, Math.max(0, (due[next] as number) - (performance.now() - start)));
    };

    // The pool is opened before the clock starts, so no request pays for a connection setup.
    Promise.all(Array.from({ length: plan.connections }, open)).then((pool) => {
      idle.push(...pool);
      start = performance.now();
      pump();
    }, reject);
  });
}

// ---------------------------------------------------------------------------------------------------
// Child process

/** Runs `client` over `plan` in a child process. */
export function driveInChild(client: Client, plan: LoadPlan): Promise<LoadFigures> {
  return new Promise((resolve, reject) => {
    const child = fork(thisFile, [], { env: { ...process.env, [CHILD_ENV]: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let answered = false;
    child.once('message', (message) => {
      answered = true;
      const reply = message as { figures?: LoadFigures; error?: string };
      if (reply.figures) resolve(reply.figures);
      else reject(new Error(reply.error ?? 'load child failed'));
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (!answered) reject(new Error(`load child exited with ${code} before reporting`));
    });
    child.send({ client, plan });
  });
}

if (process.env[CHILD_ENV] === '1' && process.send) {
  process.once('message', ({ client, plan }: { client: Client; plan: LoadPlan }) => {
    (client === 'autocannon' ? driveAutocannon(plan) : drivePaced(client, plan)).then(
      (figures) => process.send?.({ figures }, () => process.exit(0)),
      (error: unknown) => process.send?.({ error: String(error) }, () => process.exit(1)),
    );
  });
}

// ---------------------------------------------------------------------------------------------------
// The server's side

export interface ServerCost {
  /** This process's CPU time (every thread: JavaScript, GC helpers, I/O) per request answered. */
  cpuMicrosPerRequest: number;
  /** Heap allocated per request: growth of the used heap between collections, summed. */
  allocatedKBPerRequest: number;
  scavengesPer1000Requests: number;
  gcPauses: number; gcPauseTotalMs: number; gcPauseMaxMs: number;
  gcByKind: Record<string, { count: number; totalMs: number; maxMs: number }>;
  eventLoopDelayP99Ms: number; eventLoopDelayMaxMs: number;
  /**
   * Gaps of over 20 ms between ticks of a 2 ms timer, and for the longest, how much of it the server's
   * thread spent running: far less than the gap means it was waiting for a CPU (another process's
   * load), not working.
   */
  stalls: { over20Ms: number; longestMs: number; threadCpuInLongestMs: number };
  /** Size of the young generation's semi-space at the end, MB. */
  semiSpaceMB: number;
}

interface GcStatistic { gcType: string; cost: number; beforeGC: { heapStatistics: { usedHeapSize: number } }; afterGC: { heapStatistics: { usedHeapSize: number; }; heapSpaceStatistics: Array<{ spaceName: string; spaceSize: number }> } }

/**
 * Watches this process (where the server runs) until `stop(requests)`: CPU, heap allocated, garbage
 * collections (V8's GCProfiler: each with its kind and pause) and event-loop delay. Per request, these
 * hold steady when latencies do not, so they compare two versions on a busy machine.
 */
export function watchServer(): { stop(requests: number): ServerCost } {
  const gc = new GCProfiler();
  const loop = monitorEventLoopDelay({ resolution: 1 });
  const usedAtStart = process.memoryUsage().heapUsed;
  gc.start();
  loop.enable();
  const stalls = { over20Ms: 0, longestMs: 0, threadCpuInLongestMs: 0 };
  let tick = performance.now();
  let threadCpu = process.threadCpuUsage();
  const ticker = setInterval(() => {
    const now = performance.now();
    const cpuNow = process.threadCpuUsage();
    const gap = now - tick;
    if (gap > 20) {
      stalls.over20Ms++;
      if (gap > stalls.longestMs) {
        stalls.longestMs = round(gap, 1);
        stalls.threadCpuInLongestMs = round((cpuNow.user + cpuNow.system - threadCpu.user - threadCpu.system) / 1000, 1);
      }
    }
    tick = now;
    threadCpu = cpuNow;
  }, 2);
  const cpu = process.cpuUsage();
  return {
    stop(requests) {
      const spent = process.cpuUsage(cpu);
      clearInterval(ticker);
      const usedAtEnd = process.memoryUsage().heapUsed;
      loop.disable();
      const statistics = (gc.stop()?.statistics ?? []) as GcStatistic[];
      let allocated = 0;
      let last = usedAtStart;
      const byKind: Record<string, number[]> = {};
      for (const s of statistics) {
        allocated += s.beforeGC.heapStatistics.usedHeapSize - last;
        last = s.afterGC.heapStatistics.usedHeapSize;
        (byKind[s.gcType] ??= []).push(s.cost / 1000);
      }
      allocated += usedAtEnd - last;
      const pauses = Object.values(byKind).flat();
      const n = Math.max(1, requests);
      const newSpace = statistics.at(-1)?.afterGC.heapSpaceStatistics.find((s) => s.spaceName === 'new_space');
      return {
        cpuMicrosPerRequest: Math.round((spent.user + spent.system) / n),
        allocatedKBPerRequest: round(allocated / n / 1024, 1),
        scavengesPer1000Requests: round(((byKind['Scavenge']?.length ?? 0) * 1000) / n, 2),
        gcPauses: pauses.length,
        gcPauseTotalMs: round(pauses.reduce((a, b) => a + b, 0), 1),
        gcPauseMaxMs: round(Math.max(0, ...pauses), 2),
        gcByKind: Object.fromEntries(Object.entries(byKind).map(([kind, list]) => [kind, { count: list.length, totalMs: round(list.reduce((a, b) => a + b, 0), 1), maxMs: round(Math.max(...list), 2) }])),
        eventLoopDelayP99Ms: round(loop.percentile(99) / 1e6, 2),
        eventLoopDelayMaxMs: round(loop.max / 1e6, 2),
        semiSpaceMB: newSpace ? round(newSpace.spaceSize / 2 / 1e6, 1) : 0,
        stalls,
      };
    },
  };
}
