/** A timer's schedule status, as the Functions host's schedule monitor records it. */
export interface ScheduleStatus {
  last: Date;
  next: Date;
  lastUpdated: Date;
}

/**
 * Where schedule status lives between host starts. The Functions host keeps it in blobs of
 * AzureWebJobsStorage; the offline host keeps it in memory, so passing the same store to a
 * restarted host is what lets it see a missed occurrence (`isPastDue`).
 */
export interface TimerStatusStore {
  get(functionName: string): ScheduleStatus | undefined;
  set(functionName: string, status: ScheduleStatus): void;
}

/** The .NET default DateTime the host reports before a timer has ever run. */
export const NEVER = new Date('0001-01-01T00:00:00.000Z');

/** A store that lives as long as the process. */
export class MemoryTimerStatusStore implements TimerStatusStore {
  readonly #statuses = new Map<string, ScheduleStatus>();

  get(functionName: string): ScheduleStatus | undefined {
    return this.#statuses.get(functionName);
  }

  set(functionName: string, status: ScheduleStatus): void {
    this.#statuses.set(functionName, { ...status });
  }
}
