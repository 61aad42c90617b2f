/** Typed reads of node:sqlite rows: a column of the wrong type means a corrupt ledger, said loudly. */
import type { SQLOutputValue } from 'node:sqlite';

export type SqliteRow = Record<string, SQLOutputValue>;

function corrupt(column: string, expected: string): Error {
  return new Error(`ledger row column ${column} is not ${expected}; the database may be corrupt`);
}

export function text(row: SqliteRow, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw corrupt(column, 'text');
  return value;
}

export function optionalText(row: SqliteRow, column: string): string | undefined {
  const value = row[column];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'string') throw corrupt(column, 'text or null');
  return value;
}

export function integer(row: SqliteRow, column: string): number {
  const value = row[column];
  if (typeof value !== 'number' || !Number.isInteger(value)) throw corrupt(column, 'an integer');
  return value;
}

export function optionalInteger(row: SqliteRow, column: string): number | undefined {
  const value = row[column];
  if (value === null || value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw corrupt(column, 'an integer or null');
  }
  return value;
}
