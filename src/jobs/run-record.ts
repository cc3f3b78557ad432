/** How a run ended. `partial`: the time budget ran out with work left for the next run. */
export type RunStatus = 'ok' | 'partial' | 'failed' | 'skipped';

/** What started a run: its timer, or a POST to /api/maintenance/{job}/run. */
export type RunTrigger = 'schedule' | 'manual';

/** One run of a job, as `vaultgate.job_runs` keeps it and the maintenance API returns it. */
export interface RunRecord {
  id: string;
  job: string;
  trigger: RunTrigger;
  /** ISO 8601, UTC. */
  started: string;
  finished: string;
  status: RunStatus;
  /** Rows deleted, moved or reported by the procedure; in a dry run, rows that would be. */
  rowsAffected: number;
  /** Statements run (in a dry run: that would run). */
  batches: number;
  /** Why the run failed or was skipped: a stable code and a sentence to act on. */
  error: { code: string; message: string } | null;
  /** Present and true on a dry run, which changes nothing and is not kept in the history. */
  dryRun?: true;
  /** False when the record could not be written to the history (the database was down). */
  stored?: false;
}
