// Instruments for synthetic back-office data: liquid NSE equities with ISINs and rough prices,
// and index derivatives with lot sizes.

export type Equity = { symbol: string; isin: string; price: number };

export const equities: readonly Equity[] = [
  { symbol: 'RELIANCE', isin: 'INE002A01018', price: 1280 },
  { symbol: 'TCS', isin: 'INE467B01029', price: 3550 },
  { symbol: 'HDFCBANK', isin: 'INE040A01034', price: 1820 },
  { symbol: 'INFY', isin: 'INE009A01021', price: 1560 },
  { symbol: 'ICICIBANK', isin: 'INE090A01021', price: 1340 },
  { symbol: 'SBIN', isin: 'INE062A01020', price: 770 },
  { symbol: 'ITC', isin: 'INE154A01025', price: 410 },
  { symbol: 'LT', isin: 'INE018A01030', price: 3480 },
  { symbol: 'BHARTIARTL', isin: 'INE397D01024', price: 1730 },
  { symbol: 'AXISBANK', isin: 'INE238A01034', price: 1100 },
  { symbol: 'KOTAKBANK', isin: 'INE237A01028', price: 2150 },
  { symbol: 'TATAMOTORS', isin: 'INE155A01022', price: 690 },
  { symbol: 'MARUTI', isin: 'INE585B01010', price: 11600 },
  { symbol: 'SUNPHARMA', isin: 'INE044A01036', price: 1730 },
  { symbol: 'WIPRO', isin: 'INE075A01022', price: 265 },
  { symbol: 'TATASTEEL', isin: 'INE081A01020', price: 152 },
  { symbol: 'BAJFINANCE', isin: 'INE296A01024', price: 8900 },
  { symbol: 'HINDUNILVR', isin: 'INE030A01027', price: 2240 },
  { symbol: 'ASIANPAINT', isin: 'INE021A01026', price: 2270 },
  { symbol: 'NTPC', isin: 'INE733E01010', price: 355 },
];

export type IndexDerivative = { symbol: string; spot: number; lotSize: number; strikeStep: number };

export const indexDerivatives: readonly IndexDerivative[] = [
  { symbol: 'NIFTY', spot: 23_500, lotSize: 75, strikeStep: 50 },
  { symbol: 'BANKNIFTY', spot: 51_000, lotSize: 30, strikeStep: 100 },
  { symbol: 'FINNIFTY', spot: 24_800, lotSize: 65, strikeStep: 50 },
];
