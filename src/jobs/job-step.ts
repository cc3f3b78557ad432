import type { SqlValue } from '../sql/sql-value.js';

/** SQL text with its positional parameters, in the engine's placeholders. */
export interface SqlText {
  text: string;
  params: SqlValue[];
}

/**
 * One statement of a run. A batched step runs again while a batch affects `batchSize` rows
 * (more may remain); any other step runs once.
 */
export interface JobStep {
  /** What the step touches, for logs and messages: e.g. `purge public.events`. */
  label: string;
  statement: SqlText;
  /** Counts the rows the step would touch, for a dry run; absent when nothing can count. */
  count?: SqlText;
  batchSize?: number;
  /** A command timeout of the step's own (procedures); else the run's remaining time. */
  timeoutMs?: number;
}
