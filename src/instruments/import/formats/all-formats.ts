// The layouts recognised without a mapping, most specific first: the first whose columns are all
// present in a header row wins.

import { dhanFormat, kiteFormat, upstoxFormat } from './broker-formats.ts';
import { deskBseCashFormat, deskNseCashFormat, deskNseFoFormat } from './desk-workbook.ts';
import { bseEquityListFormat, nseEquityListFormat, nseIndexListFormat } from './exchange-formats.ts';
import type { InstrumentFormat } from './format.ts';

export const KNOWN_FORMATS: readonly InstrumentFormat[] = [
  kiteFormat,
  dhanFormat,
  upstoxFormat,
  deskNseFoFormat,
  deskBseCashFormat,
  bseEquityListFormat,
  deskNseCashFormat,
  nseEquityListFormat,
  nseIndexListFormat,
];
