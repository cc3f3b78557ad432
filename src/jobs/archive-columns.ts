import type { TableShape } from '../sql/table.js';
import { jobError } from './job-error.js';
import type { Job } from './job.js';

/**
 * The archive's columns the source fills, by name: every archive column except those the
 * database fills itself (identity, computed). An archive column the source lacks must be
 * nullable or have a default.
 */
export function archiveColumns(source: TableShape, archive: TableShape, job: Job): string[] {
  const sourceNames = new Set(source.columns.map((c) => c.name));
  const columns: string[] = [];
  for (const column of archive.columns) {
    if (column.identity || column.readOnly === true) continue;
    if (sourceNames.has(column.name)) columns.push(column.name);
    else if (!column.nullable && !column.hasDefault) {
      throw jobError(
        job,
        'parameters.archiveTable',
        `${archive.name}.${column.name} has no column of that name in ${source.name} to fill it`,
      );
    }
  }
  if (columns.length === 0) {
    throw jobError(
      job,
      'parameters.archiveTable',
      `${archive.name} shares no column name with ${source.name}`,
    );
  }
  return columns;
}
