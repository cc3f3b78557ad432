import { setTimeout as sleep } from 'node:timers/promises';
import type { HttpsEndpoint } from './https-endpoint.js';
import type { FaultPlan, FaultState, FaultStatus } from './types.js';

/** What a request that is made to fail answers with. */
export interface InjectedFailure {
  status: FaultStatus;
  retryAfterSeconds: number;
}

const DEFAULT_RETRY_AFTER_SECONDS = 1;

/** Faults for one server: latency, a run of failing answers, refused connections. */
export class FaultInjector {
  private current: FaultState = { latencyMs: 0, failNext: undefined, refuseConnections: false };

  constructor(private readonly endpoint: HttpsEndpoint) {}

  /** The faults in effect. */
  get state(): FaultState {
    const { failNext } = this.current;
    return { ...this.current, failNext: failNext && { ...failNext } };
  }

  /** Merges the plan into the faults in effect; resolves once connections are refused or taken. */
  async set(plan: FaultPlan): Promise<FaultState> {
    checkPlan(plan);
    if (plan.latencyMs !== undefined) this.current.latencyMs = plan.latencyMs;
    if (plan.failNext !== undefined) {
      const { count, status, retryAfterSeconds = DEFAULT_RETRY_AFTER_SECONDS } = plan.failNext;
      this.current.failNext = count > 0 ? { count, status, retryAfterSeconds } : undefined;
    }
    if (plan.refuseConnections !== undefined) await this.setRefusing(plan.refuseConnections);
    return this.state;
  }

  /** Removes every fault; the server listens again on its port. */
  async clear(): Promise<void> {
    await this.set({ latencyMs: 0, failNext: { count: 0, status: 500 }, refuseConnections: false });
  }

  /** Waits out the latency, then says whether this request must fail, using up one failure. */
  async before(): Promise<InjectedFailure | undefined> {
    if (this.current.latencyMs > 0) await sleep(this.current.latencyMs);
    const failNext = this.current.failNext;
    if (failNext === undefined) return undefined;
    failNext.count -= 1;
    if (failNext.count <= 0) this.current.failNext = undefined;
    return { status: failNext.status, retryAfterSeconds: failNext.retryAfterSeconds };
  }

  private async setRefusing(refuse: boolean): Promise<void> {
    this.current.refuseConnections = refuse;
    if (refuse) await this.endpoint.refuse();
    else await this.endpoint.listen();
  }
}

function checkPlan(plan: FaultPlan): void {
  const latency = plan.latencyMs;
  if (latency !== undefined && !(Number.isFinite(latency) && latency >= 0)) {
    throw new RangeError('latencyMs must be a number of milliseconds, 0 or more.');
  }
  const failNext = plan.failNext;
  if (failNext === undefined) return;
  if (![429, 500, 503].includes(failNext.status)) {
    throw new RangeError('failNext.status must be 429, 500 or 503.');
  }
  if (!Number.isInteger(failNext.count) || failNext.count < 0) {
    throw new RangeError('failNext.count must be a whole number, 0 or more.');
  }
}
