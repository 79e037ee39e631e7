// A layout the importer recognises by its header: the columns that must be present and how a row reads.

import type { InstrumentDraft } from '../draft.ts';
import type { RowReader } from '../row-reader.ts';

export interface InstrumentFormat {
  /** Stable machine name, reported in import stats (`kite`, `nse-equity-list`, ...). */
  readonly name: string;
  /** What a person calls it, used in error messages. */
  readonly title: string;
  /** Normalised header keys (see normaliseHeader) that identify the layout; all must be present. */
  readonly required: readonly string[];
  /** Reads one data row; throws RowRejection for a bad value. */
  read(row: RowReader): InstrumentDraft;
}

/** Sources that publish tick size in paise (Upstox, Dhan) are converted to rupees. */
export function paiseToRupees(paise: number | null): number | null {
  return paise === null ? null : Math.round(paise * 1000) / 100_000;
}
