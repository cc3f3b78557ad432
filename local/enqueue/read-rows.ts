import { readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { EnqueueError } from './enqueue-error.js';

/** A file's rows and its bytes (the bytes name the file's messages, see enqueueFile). */
export interface RowsFile {
  rows: unknown[];
  bytes: Buffer;
}

/**
 * Reads rows from a file: `.ndjson` / `.jsonl` hold one JSON object per line (blank lines
 * skipped); anything else holds a JSON array of objects, or one object.
 */
export async function readRows(path: string): Promise<RowsFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch {
    throw new EnqueueError(`Cannot read ${path}; give the path of a .json or .ndjson file.`);
  }
  const text = bytes.toString('utf8');
  const lines = ['.ndjson', '.jsonl'].includes(extname(path).toLowerCase());
  const rows = lines ? ndjsonRows(text, path) : jsonRows(text, path);
  if (rows.length === 0) throw new EnqueueError(`${path} holds no rows.`);
  return { rows, bytes };
}

function jsonRows(text: string, path: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new EnqueueError(`${path} is not valid JSON; for one row per line name it .ndjson.`);
  }
  return Array.isArray(value) ? value : [value];
}

function ndjsonRows(text: string, path: string): unknown[] {
  const rows: unknown[] = [];
  text.split(/\r?\n/).forEach((line, index) => {
    if (line.trim() === '') return;
    try {
      rows.push(JSON.parse(line));
    } catch {
      throw new EnqueueError(`${path} line ${index + 1} is not valid JSON.`);
    }
  });
  return rows;
}
