// Prometheus metrics, one registry per platform instance (tests build several in one process).
import { Registry, Histogram, Counter, collectDefaultMetrics } from 'prom-client';

export type Metrics = {
  registry: Registry;
  observeRequest(method: string, route: string, status: number, seconds: number): void;
  counter(name: string, help: string, labelNames?: string[]): Counter<string>;
};

export function createMetrics(options: { defaults?: boolean } = {}): Metrics {
  const registry = new Registry();
  if (options.defaults ?? true) collectDefaultMetrics({ register: registry, prefix: 'pravah_' });
  const requests = new Histogram({
    name: 'pravah_http_request_duration_seconds',
    help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  // One child per (method, route, status), found without building a key: `observe(labels, value)`
  // hashes its labels object into a string on every request.
  const children = new Map<string, Map<string, Map<number, { observe(value: number): void }>>>();
  const childFor = (method: string, route: string, status: number) => {
    let byRoute = children.get(method);
    if (!byRoute) children.set(method, (byRoute = new Map()));
    let byStatus = byRoute.get(route);
    if (!byStatus) byRoute.set(route, (byStatus = new Map()));
    let child = byStatus.get(status);
    if (!child) byStatus.set(status, (child = requests.labels({ method, route, status: String(status) })));
    return child;
  };
  const counters = new Map<string, Counter<string>>();
  return {
    registry,
    observeRequest(method, route, status, seconds) {
      childFor(method, route, status).observe(seconds);
    },
    counter(name, help, labelNames = []) {
      let c = counters.get(name);
      if (!c) {
        c = new Counter({ name, help, labelNames, registers: [registry] });
        counters.set(name, c);
      }
      return c;
    },
  };
}
