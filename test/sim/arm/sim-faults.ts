/** What the simulator does to a request instead of (or before) answering it. */
export type SimFaultAction =
  | { kind: 'status'; status: number; code?: string; headers?: Record<string, string> }
  | { kind: 'timeout' }
  | { kind: 'drop' }
  | { kind: 'malformed' };

/** A one-shot or counted fault for requests whose `METHOD path?query` matches. */
export interface SimFaultRule {
  match: RegExp;
  /** Also the request body (a Resource Graph query is in it), when given. */
  body?: RegExp;
  action: SimFaultAction;
  /** How many matching requests it hits; default 1. */
  times?: number;
  /** Matching requests to let through before it starts hitting; default 0. */
  after?: number;
}

/** Random background faults, decided by a seeded generator so runs repeat. */
export interface SimFaultRates {
  /** Share of requests answered with `status` (default 503). */
  error?: number;
  status?: number;
  timeout?: number;
  drop?: number;
  /** Extra latency per request, uniformly between min and max ms. */
  latencyMs?: { min: number; max: number };
}

/** Fault injection controls: `rates` for background noise, `add` for exact scripted faults. */
export class SimFaults {
  private rules: Array<SimFaultRule & { left: number; skip: number }> = [];
  private rates: SimFaultRates = {};
  private state: number;

  constructor(seed = 42) {
    this.state = seed >>> 0;
  }

  /** Replaces the background rates (`{}` turns them off). */
  set(rates: SimFaultRates): void {
    this.rates = rates;
  }

  add(rule: SimFaultRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1, skip: rule.after ?? 0 });
  }

  clear(): void {
    this.rules = [];
    this.rates = {};
  }

  latencyMs(): number {
    const l = this.rates.latencyMs;
    return l ? l.min + this.random() * (l.max - l.min) : 0;
  }

  /** The fault for this request, if any; scripted rules first, then the random rates. */
  pick(request: string, body = ''): SimFaultAction | undefined {
    const rule = this.rules.find(
      (r) => r.left > 0 && r.match.test(request) && (!r.body || r.body.test(body)),
    );
    if (rule && rule.skip > 0) rule.skip -= 1;
    else if (rule) {
      rule.left -= 1;
      return rule.action;
    }
    const r = this.random();
    const { error = 0, timeout = 0, drop = 0 } = this.rates;
    if (r < error) return { kind: 'status', status: this.rates.status ?? 503 };
    if (r < error + timeout) return { kind: 'timeout' };
    if (r < error + timeout + drop) return { kind: 'drop' };
    return undefined;
  }

  // mulberry32: small, seeded, good enough for fault dice.
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}
