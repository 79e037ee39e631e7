// Reads one data row through the header found for its sheet, so formats name columns, not positions,
// and every bad value becomes a reject that names its column.

import { RowRejection } from './draft.ts';
import { BadValue, readDate, readNumber, readText } from './values.ts';
import type { Cell } from './values.ts';

/** Header text folded for matching: trimmed, single-spaced, lower-case (` SERIES` → `series`). */
export function normaliseHeader(cell: Cell): string {
  if (cell === null) return '';
  const text = cell instanceof Date ? cell.toISOString() : String(cell);
  return text.normalize('NFKC').replace(/\s+/g, ' ').trim().toLowerCase();
}

/** Column access for one row; getters return null for absent columns and empty cells. */
export interface RowReader {
  has(column: string): boolean;
  cell(column: string): Cell;
  text(column: string): string | null;
  /** A number, or null when empty; a malformed value rejects the row as `field`. */
  number(column: string, field: string): number | null;
  /** An ISO date, or null when empty; a malformed value rejects the row as `field`. */
  date(column: string, field: string): string | null;
}

/** Builds a reader factory for a header row: header key → position (the first of repeated headers wins). */
export function createRowReaderFactory(headerCells: readonly Cell[]): (cells: readonly Cell[]) => RowReader {
  const positions = new Map<string, number>();
  const spelled = new Map<string, string>();
  headerCells.forEach((cell, i) => {
    const key = normaliseHeader(cell);
    if (!positions.has(key)) {
      positions.set(key, i);
      spelled.set(key, cell === null ? '' : String(cell).trim());
    }
  });
  return (cells) => {
    const cell = (column: string): Cell => {
      const at = positions.get(column);
      return at === undefined ? null : (cells[at] ?? null);
    };
    const guard = <T>(column: string, field: string, read: (value: Cell) => T): T => {
      try {
        return read(cell(column));
      } catch (error) {
        if (error instanceof BadValue) throw new RowRejection(field, error.message, spelled.get(column) ?? column);
        throw error;
      }
    };
    return {
      has: (column) => positions.has(column),
      cell,
      text: (column) => readText(cell(column)),
      number: (column, field) => guard(column, field, readNumber),
      date: (column, field) => guard(column, field, readDate),
    };
  };
}
