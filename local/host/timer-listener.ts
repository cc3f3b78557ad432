import type { Timer, TimerFunctionOptions } from '@azure/functions';
import type { FunctionDefinition } from '../../functions/register.js';
import type { FunctionInvoker } from './function-invoker.js';
import { parseSchedule, typicalInterval, type TimerSchedule } from './timer-schedule.js';
import { NEVER, type ScheduleStatus, type TimerStatusStore } from './timer-status-store.js';

type TimerDefinition = Extract<FunctionDefinition, { trigger: 'timer' }>;

/** Why a run happens outside the schedule. */
type Unscheduled = { isPastDue: true } | { runOnStartup: true } | undefined;

/** Node's timers take at most about 24.8 days; longer waits are taken in steps. */
const MAX_TIMER_MS = 24 * 24 * 60 * 60_000;
const ONE_MINUTE_MS = 60_000;

/**
 * Runs one timer function on its schedule, the way the Functions host's timer listener does:
 * one run at a time, the next occurrence computed when a run ends (so an overrun delays the
 * next run rather than stacking them), runOnStartup, and isPastDue when the monitor shows a
 * missed occurrence at start.
 */
export class TimerListener {
  readonly #definition: TimerDefinition;
  readonly #schedule: TimerSchedule;
  readonly #invoker: FunctionInvoker;
  readonly #store: TimerStatusStore;
  readonly #useMonitor: boolean;
  #status: ScheduleStatus | undefined;
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<void> | undefined;
  #stopped = false;

  constructor(definition: TimerDefinition, invoker: FunctionInvoker, store: TimerStatusStore) {
    const options: TimerFunctionOptions = definition.options;
    this.#definition = definition;
    this.#schedule = parseSchedule(options.schedule, definition.name);
    this.#invoker = invoker;
    this.#store = store;
    // As in the host: the monitor is on unless the schedule fires more often than a minute.
    this.#useMonitor =
      options.useMonitor ?? typicalInterval(this.#schedule, new Date()) >= ONE_MINUTE_MS;
  }

  /** Starts the schedule; a past-due or runOnStartup run comes first, at once. */
  start(): void {
    const now = new Date();
    const recorded = this.#useMonitor ? this.#store.get(this.#definition.name) : undefined;
    const pastDue = recorded !== undefined && now > this.#recordedNext(recorded);
    this.#status = recorded ?? { last: NEVER, next: this.#nextAfter(now), lastUpdated: NEVER };
    if (pastDue) this.#arm(1, { isPastDue: true });
    else if (this.#definition.options.runOnStartup === true) this.#arm(1, { runOnStartup: true });
    else this.#armForNext();
  }

  /** Stops the schedule and waits for a run in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    await this.#running;
  }

  /** The recorded next occurrence, recomputed when the schedule changed since it was saved. */
  #recordedNext(recorded: ScheduleStatus): Date {
    if (recorded.last.getTime() === NEVER.getTime()) return recorded.next;
    const expected = this.#schedule.next(recorded.last);
    if (expected?.getTime() === recorded.next.getTime()) return recorded.next;
    return this.#nextAfter(recorded.lastUpdated);
  }

  #armForNext(): void {
    const next = this.#status?.next ?? this.#nextAfter(new Date());
    this.#arm(Math.max(1, next.getTime() - Date.now()), undefined);
  }

  #arm(delayMs: number, reason: Unscheduled): void {
    if (this.#stopped) return;
    const step = Math.min(delayMs, MAX_TIMER_MS);
    this.#timer = setTimeout(() => {
      if (step < delayMs) this.#arm(delayMs - step, reason);
      else this.#running = this.#fire(reason);
    }, step);
  }

  async #fire(reason: Unscheduled): Promise<void> {
    const invokedAt = new Date();
    await this.#invoker.invoke({
      definition: this.#definition,
      input: this.#timerInput(reason !== undefined && 'isPastDue' in reason),
    });
    this.#recordRun(invokedAt, reason);
    this.#running = undefined;
    this.#armForNext();
  }

  /** As the host: a run that fired a little early counts from its scheduled time. */
  #recordRun(invokedAt: Date, reason: Unscheduled): void {
    const scheduled = this.#status?.next;
    const early = reason === undefined && scheduled !== undefined && scheduled > invokedAt;
    const at = early ? scheduled : invokedAt;
    this.#status = { last: at, next: this.#nextAfter(at), lastUpdated: at };
    if (this.#useMonitor) this.#store.set(this.#definition.name, this.#status);
  }

  #timerInput(isPastDue: boolean): Timer {
    const status = this.#status;
    return {
      schedule: { adjustForDST: this.#schedule.adjustForDST },
      // The host sends no status when its monitor is off (schedules under a minute).
      scheduleStatus: (this.#useMonitor && status !== undefined
        ? {
            last: status.last.toISOString(),
            next: status.next.toISOString(),
            lastUpdated: status.lastUpdated.toISOString(),
          }
        : null) as Timer['scheduleStatus'],
      isPastDue,
    };
  }

  #nextAfter(time: Date): Date {
    // A schedule with no further occurrence (a date in the past) waits as long as it can.
    return this.#schedule.next(time) ?? new Date(time.getTime() + MAX_TIMER_MS);
  }
}
