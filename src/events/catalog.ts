// The event catalog (DOMAIN.md §3): every client-facing business event type, its variables as a
// TypeBox schema, default channels, timing and regulatory flag. Intake validation, the processor and
// the web Templates page (through GET /api/events/catalog) all read this one list.
//
// Variables carry what a template needs beyond the envelope: the client code is the envelope's
// `clientCode`, and contact details are loaded (and decrypted in memory) by the processor, so no
// variable holds a mobile, an email or an account number in clear; `masked*` ones must look masked.
import { Type, type Static, type TObject } from 'typebox';
import { Compile } from 'typebox/compile';
import { kras, segmentCodes } from '../kyc/codes.ts';
import { patterns } from '../kyc/patterns.ts';

export const eventCategories = ['kyc', 'account', 'funds', 'trading', 'mtf', 'fno', 'corporate', 'security', 'depository'] as const;
export const eventChannels = ['sms', 'whatsapp', 'push'] as const;
/** now: at once; scheduled: by the scheduler from data and calendars; end_of_day: after market close; digest: folded into a periodic summary; pre_open: before the market opens. */
export const eventTimings = ['now', 'scheduled', 'end_of_day', 'digest', 'pre_open'] as const;
/** Who receives it: the client's current contacts, or (a contact change) both the old and the new one. */
export const eventAudiences = ['client', 'old_and_new_contact'] as const;

export type EventCategory = (typeof eventCategories)[number];
export type EventChannel = (typeof eventChannels)[number];
export type EventTiming = (typeof eventTimings)[number];
export type EventAudience = (typeof eventAudiences)[number];

export type EventDefinition<T extends string = string, S extends TObject = TObject> = {
  type: T;
  title: string;
  description: string;
  category: EventCategory;
  variables: S;
  defaultChannels: readonly EventChannel[];
  timing: EventTiming;
  /** The table's words for when it goes out, where `timing` alone does not say it. */
  schedule?: string;
  regulatory: boolean;
  audience: EventAudience;
  /** A timestamp variable after which the notification is stale and must not be sent. */
  expiresWith?: string;
  /**
   * The variables that make two events of this type for one client the same alert: a repeat within
   * the throttle window (NOTIFY_THROTTLE_WINDOW_MS) is recorded as throttled and not sent. Types
   * without it are never throttled.
   */
  throttleBy?: readonly (keyof Static<S> & string)[];
  /** Example variables: validated by the tests, used by the template preview. */
  sample: Static<S>;
};

// Shared variable schemas. Amounts are rupees (numbers, paise as decimals); dates are ISO dates in
// IST; times are ISO timestamps with a zone.
const Rupees = (options: { exclusiveMinimum?: number; description?: string } = {}) => Type.Number({ minimum: 0, maximum: 1e13, description: 'Rupees', ...options });
const SignedRupees = Type.Number({ minimum: -1e13, maximum: 1e13, description: 'Rupees; negative for a debit balance' });
const IsoDate = Type.String({ format: 'date', pattern: patterns.isoDate.source, description: 'ISO date (YYYY-MM-DD), IST' });
const Timestamp = (description = 'ISO 8601 date-time with a zone') => Type.String({ format: 'date-time', description });
const Link = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 500, description: 'An http(s) link' });
const Symbol = Type.String({ minLength: 1, maxLength: 40, description: 'Trading symbol (NSE/BSE)' });
const Contract = Type.String({ minLength: 1, maxLength: 60, description: 'Derivative contract, e.g. NIFTY 26FEB2026 24000 CE' });
const Quantity = Type.Integer({ minimum: 1, maximum: 1e9 });
const Isin = Type.String({ pattern: '^IN[A-Z0-9]{9}[0-9]$' });
const Segment = Type.Enum(segmentCodes);
const Exchange = Type.Enum(['NSE', 'BSE', 'MCX', 'NCDEX'] as const);
const ShortText = (maxLength: number, description?: string) => Type.String({ minLength: 1, maxLength, ...(description ? { description } : {}) });
const KraStatus = Type.String({ pattern: '^[0-4](0[0-7]|1[1-4])$', description: 'Three-digit KRA status code' });
/** A masked display form (`+91XXXXXX3210`, `a****@example.in`): never the value in clear. */
const Masked = Type.String({ minLength: 1, maxLength: 120, pattern: '(X{4,}|\\*{4,})', description: 'Masked form, never the value in clear' });
const Reference = ShortText(40, 'Reference number');

const vars = <P extends Parameters<typeof Type.Object>[0]>(properties: P) => Type.Object(properties, { additionalProperties: false });

/** Checks the sample against the schema at compile time, and keeps the type name literal. */
function define<const T extends string, S extends TObject>(definition: EventDefinition<T, S>): EventDefinition<T, S> {
  return definition;
}

const kycStatusVariables = vars({
  reasonCode: ShortText(20, 'The KRA or broker reason code'),
  reasonText: Type.Optional(ShortText(300, 'The reason in words')),
  link: Type.Optional(Link),
});

const mtfSquareOffVariables = vars({
  symbols: Type.Array(Symbol, { minItems: 1, maxItems: 50, uniqueItems: true }),
  qty: Quantity,
  time: Timestamp(),
  amount: Rupees(),
});

const definitions = [
  define({
    type: 'kyc.approved', title: 'KYC approved', category: 'kyc', description: 'The KRA registered or validated the KYC: the account can trade in the listed segments.',
    variables: vars({ segments: Type.Array(Segment, { uniqueItems: true, description: 'Active segments (may be empty: KYC approval does not activate one)' }), name: Type.Optional(ShortText(100, 'Display name; the processor loads it when absent')) }),
    defaultChannels: ['sms', 'whatsapp', 'push'], timing: 'now', regulatory: false, audience: 'client',
    sample: { segments: ['CM', 'FO'] },
  }),
  define({
    type: 'kyc.on_hold', title: 'KYC on hold', category: 'kyc', description: 'The KRA put the KYC on hold: the client cannot transact until it is resolved.',
    variables: kycStatusVariables, defaultChannels: ['sms', 'whatsapp'], timing: 'now', regulatory: true, audience: 'client',
    sample: { reasonCode: 'H01', reasonText: 'Address proof unclear', link: 'https://pravah.example/kyc' },
  }),
  define({
    type: 'kyc.rejected', title: 'KYC rejected', category: 'kyc', description: 'The KRA rejected the KYC.',
    variables: kycStatusVariables, defaultChannels: ['sms', 'whatsapp'], timing: 'now', regulatory: true, audience: 'client',
    sample: { reasonCode: 'R04', reasonText: 'PAN and name do not match', link: 'https://pravah.example/kyc' },
  }),
  define({
    type: 'kyc.kra_status_changed', title: 'KRA status changed', category: 'kyc', description: 'The KRA status code of the client changed.',
    variables: vars({ oldStatus: KraStatus, newStatus: KraStatus, kra: Type.Enum(kras) }),
    defaultChannels: ['push'], timing: 'now', regulatory: false, audience: 'client',
    sample: { oldStatus: '001', newStatus: '007', kra: 'CVL' },
  }),
  define({
    type: 'account.contact_changed', title: 'Contact details changed', category: 'account',
    description: 'A mobile, email, address or bank account changed. Goes to the old and the new contact, so a takeover is noticed.',
    variables: vars({ field: Type.Enum(['mobile', 'email', 'address', 'bank'] as const), maskedNewValue: Type.Optional(Masked), time: Type.Optional(Timestamp('When it changed; the event time when absent')) }),
    defaultChannels: ['sms'], timing: 'now', regulatory: true, audience: 'old_and_new_contact',
    sample: { field: 'mobile', maskedNewValue: '+91XXXXXX3210', time: '2026-02-10T11:20:00+05:30' },
  }),
  define({
    type: 'kyc.revalidation_due', title: 'KYC revalidation due', category: 'kyc', description: 'The KYC must be revalidated by the due date.',
    variables: vars({ dueDate: IsoDate, link: Type.Optional(Link), daysLeft: Type.Optional(Type.Integer({ minimum: 0, maximum: 366 })) }),
    defaultChannels: ['sms', 'whatsapp', 'push'], timing: 'scheduled', schedule: 'T-30, T-7 and T-1 before the due date', regulatory: false, audience: 'client',
    sample: { dueDate: '2026-03-31', link: 'https://pravah.example/kyc/revalidate', daysLeft: 7 },
  }),
  define({
    type: 'nomination.pending', title: 'Nomination pending', category: 'account', description: 'The client has neither nominated nor opted out; the deadline approaches.',
    variables: vars({ deadline: IsoDate, link: Link }),
    defaultChannels: ['sms', 'whatsapp'], timing: 'scheduled', schedule: 'reminders before the deadline', regulatory: false, audience: 'client',
    sample: { deadline: '2026-06-30', link: 'https://pravah.example/nominate' },
  }),
  define({
    type: 'nomination.updated', title: 'Nomination updated', category: 'account', description: 'The nominees (or the opt-out) changed.',
    variables: vars({ nomineeCount: Type.Integer({ minimum: 0, maximum: 10 }), refNo: Type.Optional(Reference), optOut: Type.Optional(Type.Boolean()) }),
    defaultChannels: ['sms'], timing: 'now', regulatory: true, audience: 'client',
    sample: { nomineeCount: 2, refNo: 'NOM2026021000123' },
  }),
  define({
    type: 'segment.activated', title: 'Segment activated', category: 'account', description: 'A trading segment was activated for the client.',
    variables: vars({ segment: Segment, effectiveDate: Type.Optional(IsoDate) }),
    defaultChannels: ['sms', 'push'], timing: 'now', regulatory: false, audience: 'client',
    sample: { segment: 'FO', effectiveDate: '2026-02-11' },
  }),
  define({
    type: 'security.new_device_login', title: 'New device sign-in', category: 'security', description: 'The client signed in from a device not seen before.',
    variables: vars({ device: ShortText(100, 'Device or browser name'), city: Type.Optional(ShortText(60)), time: Timestamp() }),
    defaultChannels: ['sms', 'push'], timing: 'now', regulatory: false, audience: 'client',
    sample: { device: 'Chrome on Android', city: 'Pune', time: '2026-02-10T21:04:00+05:30' },
  }),
  define({
    type: 'funds.payin_received', title: 'Funds received', category: 'funds', description: 'Money paid in reached the trading account.',
    variables: vars({ amount: Rupees({ exclusiveMinimum: 0 }), mode: ShortText(30, 'UPI, NEFT, RTGS, IMPS, net banking...'), balance: SignedRupees }),
    defaultChannels: ['push', 'whatsapp'], timing: 'now', regulatory: false, audience: 'client',
    sample: { amount: 25000, mode: 'UPI', balance: 41250.5 },
  }),
  define({
    type: 'funds.payout_processed', title: 'Payout processed', category: 'funds', description: 'A withdrawal was sent to the client’s bank account.',
    variables: vars({ amount: Rupees({ exclusiveMinimum: 0 }), bankMasked: Masked, utr: Type.String({ pattern: '^[A-Z0-9]{6,22}$', description: 'Bank UTR' }) }),
    defaultChannels: ['sms', 'push'], timing: 'now', regulatory: false, audience: 'client',
    sample: { amount: 10000, bankMasked: 'XXXXXXXX4321', utr: 'HDFCN52026021012345' },
  }),
  define({
    type: 'funds.running_account_settled', title: 'Running account settled', category: 'funds', description: 'Quarterly or monthly settlement of the running account (SEBI): funds paid out and retained.',
    variables: vars({ settleDate: IsoDate, amountPaid: Rupees(), retained: Rupees() }),
    defaultChannels: ['sms'], timing: 'scheduled', schedule: 'first Friday of the quarter or month, per the client’s choice', regulatory: true, audience: 'client',
    sample: { settleDate: '2026-04-03', amountPaid: 18250, retained: 0 },
  }),
  define({
    type: 'order.rejected', title: 'Order rejected', category: 'trading', description: 'The exchange or the RMS rejected an order.',
    variables: vars({ symbol: Symbol, qty: Quantity, reason: ShortText(200) }),
    defaultChannels: ['push'], timing: 'now', regulatory: false, audience: 'client',
    sample: { symbol: 'TATAMOTORS', qty: 50, reason: 'Insufficient margin' },
  }),
  define({
    type: 'trade.executed', title: 'Trade executed', category: 'trading', description: 'An order was (partly) filled.',
    variables: vars({ symbol: Symbol, side: Type.Enum(['BUY', 'SELL'] as const), qty: Quantity, avgPrice: Rupees(), exchange: Exchange }),
    defaultChannels: ['push', 'whatsapp'], timing: 'now', regulatory: false, audience: 'client',
    sample: { symbol: 'INFY', side: 'BUY', qty: 10, avgPrice: 1642.35, exchange: 'NSE' },
  }),
  define({
    type: 'trade.contract_note_issued', title: 'Contract note issued', category: 'trading', description: 'The day’s contract note was issued (it goes by email; the SMS carries the link).',
    variables: vars({ tradeDate: IsoDate, contractNoteNo: Reference, link: Link }),
    defaultChannels: ['sms'], timing: 'end_of_day', regulatory: true, audience: 'client',
    sample: { tradeDate: '2026-02-10', contractNoteNo: 'CN2026021000456', link: 'https://pravah.example/cn/CN2026021000456' },
  }),
  define({
    type: 'margin.daily_statement', title: 'Daily margin statement', category: 'trading', description: 'Margin required and collected for the day, and any shortfall.',
    variables: vars({ date: IsoDate, required: Rupees(), collected: Rupees(), shortfall: Rupees() }),
    defaultChannels: ['push'], timing: 'end_of_day', schedule: 'end of day, in the daily digest', regulatory: true, audience: 'client',
    sample: { date: '2026-02-10', required: 120000, collected: 125000, shortfall: 0 },
  }),
  define({
    type: 'mtf.position_created', title: 'MTF position created', category: 'mtf', description: 'A margin trading facility position was funded.',
    variables: vars({ symbol: Symbol, qty: Quantity, fundedAmount: Rupees(), ownMargin: Rupees() }),
    defaultChannels: ['push', 'sms'], timing: 'now', regulatory: true, audience: 'client',
    sample: { symbol: 'HDFCBANK', qty: 100, fundedAmount: 120000, ownMargin: 40000 },
  }),
  define({
    type: 'mtf.pledge_pending', title: 'MTF pledge pending', category: 'mtf', description: 'Shares bought under MTF must be pledged before the cut-off, or the position is squared off.',
    variables: vars({ isinCount: Type.Integer({ minimum: 1, maximum: 1000 }), cutoffTime: Timestamp() }),
    defaultChannels: ['sms', 'whatsapp', 'push'], timing: 'now', schedule: 'now; stale after the cut-off', expiresWith: 'cutoffTime', regulatory: false, audience: 'client', throttleBy: ['cutoffTime'],
    sample: { isinCount: 2, cutoffTime: '2026-02-11T17:00:00+05:30' },
  }),
  define({
    type: 'mtf.margin_call', title: 'MTF margin call', category: 'mtf', description: 'MTF positions need more margin by the due time.',
    variables: vars({ shortfall: Rupees({ exclusiveMinimum: 0 }), dueBy: Timestamp(), positions: Type.Integer({ minimum: 1, maximum: 10_000, description: 'MTF positions affected' }) }),
    defaultChannels: ['sms', 'whatsapp', 'push'], timing: 'now', regulatory: true, audience: 'client', throttleBy: ['shortfall'],
    sample: { shortfall: 18500.75, dueBy: '2026-02-11T15:00:00+05:30', positions: 3 },
  }),
  define({
    type: 'mtf.square_off_warning', title: 'MTF square-off warning', category: 'mtf', description: 'MTF positions will be squared off at the given time unless the shortfall is paid.',
    variables: mtfSquareOffVariables, defaultChannels: ['sms', 'whatsapp', 'push'], timing: 'now', regulatory: true, audience: 'client', throttleBy: ['symbols', 'time'],
    sample: { symbols: ['HDFCBANK', 'ITC'], qty: 150, time: '2026-02-12T14:30:00+05:30', amount: 18500.75 },
  }),
  define({
    type: 'mtf.squared_off', title: 'MTF squared off', category: 'mtf', description: 'MTF positions were squared off.',
    variables: mtfSquareOffVariables, defaultChannels: ['sms', 'whatsapp', 'push'], timing: 'now', regulatory: true, audience: 'client',
    sample: { symbols: ['ITC'], qty: 50, time: '2026-02-12T14:31:05+05:30', amount: 21340 },
  }),
  define({
    type: 'mtf.interest_debited', title: 'MTF interest debited', category: 'mtf', description: 'Interest on the funded amount was debited.',
    variables: vars({ period: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}(-[0-9]{2})?$', description: 'A month (YYYY-MM) or a day (YYYY-MM-DD)' }), rate: Type.Number({ minimum: 0, maximum: 100, description: 'Percent a year' }), interest: Rupees() }),
    defaultChannels: ['push'], timing: 'digest', schedule: 'daily or monthly digest', regulatory: false, audience: 'client',
    sample: { period: '2026-01', rate: 14.5, interest: 1432.6 },
  }),
  define({
    type: 'fno.margin_shortfall', title: 'F&O margin shortfall', category: 'fno', description: 'The F&O margin is short; a penalty applies if it is not paid by the due time.',
    variables: vars({ shortfall: Rupees({ exclusiveMinimum: 0 }), penaltyRisk: Rupees({ description: 'Estimated penalty in rupees if unpaid' }), dueBy: Timestamp() }),
    defaultChannels: ['sms', 'push'], timing: 'now', regulatory: true, audience: 'client', throttleBy: ['shortfall'],
    sample: { shortfall: 52000, penaltyRisk: 260, dueBy: '2026-02-11T09:00:00+05:30' },
  }),
  define({
    type: 'fno.expiry_reminder', title: 'F&O expiry reminder', category: 'fno', description: 'Contracts the client holds expire soon.',
    variables: vars({ contracts: Type.Array(Contract, { minItems: 1, maxItems: 100 }), expiryDate: IsoDate }),
    defaultChannels: ['push', 'whatsapp'], timing: 'scheduled', schedule: 'T-1 and expiry day 09:00 IST', regulatory: false, audience: 'client', throttleBy: ['expiryDate'],
    sample: { contracts: ['NIFTY 26FEB2026 24000 CE', 'BANKNIFTY 26FEB2026 FUT'], expiryDate: '2026-02-26' },
  }),
  define({
    type: 'fno.physical_settlement_obligation', title: 'Physical settlement obligation', category: 'fno', description: 'A stock derivative position left open at expiry settles by delivery.',
    variables: vars({ symbol: Symbol, qty: Quantity, obligationValue: Rupees() }),
    defaultChannels: ['sms', 'whatsapp', 'push'], timing: 'scheduled', schedule: 'daily from T-3 to expiry day', regulatory: false, audience: 'client',
    sample: { symbol: 'RELIANCE', qty: 250, obligationValue: 731250 },
  }),
  define({
    type: 'fno.ban_period', title: 'F&O ban period', category: 'fno', description: 'A security the client trades entered the F&O ban period: only reducing trades are allowed.',
    variables: vars({ symbol: Symbol, banDate: IsoDate }),
    defaultChannels: ['push'], timing: 'pre_open', regulatory: false, audience: 'client', throttleBy: ['symbol', 'banDate'],
    sample: { symbol: 'IDEA', banDate: '2026-02-11' },
  }),
  define({
    type: 'rms.auto_square_off', title: 'Auto square-off', category: 'trading', description: 'The RMS squared off a position (intraday cut-off or margin).',
    variables: vars({ symbol: Symbol, qty: Quantity, time: Timestamp(), reason: ShortText(200) }),
    defaultChannels: ['sms', 'push'], timing: 'now', regulatory: false, audience: 'client',
    sample: { symbol: 'SBIN', qty: 200, time: '2026-02-10T15:20:00+05:30', reason: 'Intraday auto square-off' },
  }),
  define({
    type: 'corporate_action.announced', title: 'Corporate action announced', category: 'corporate', description: 'A company the client holds announced a dividend, bonus, split, rights issue, buyback or e-voting.',
    variables: vars({ symbol: Symbol, action: Type.Enum(['DIVIDEND', 'BONUS', 'SPLIT', 'RIGHTS', 'BUYBACK', 'EVOTING'] as const), recordDate: IsoDate, detail: ShortText(200, 'e.g. ₹12 per share, 1:1, 10 → 2') }),
    defaultChannels: ['push'], timing: 'digest', schedule: 'in the digest, then a reminder before the record date', regulatory: false, audience: 'client', throttleBy: ['symbol', 'action', 'recordDate'],
    sample: { symbol: 'TCS', action: 'DIVIDEND', recordDate: '2026-02-20', detail: '₹18 per share' },
  }),
  define({
    type: 'depository.ddpi_or_pledge_changed', title: 'DDPI or pledge changed', category: 'depository', description: 'A DDPI was activated or revoked, or securities were pledged, unpledged or invoked.',
    variables: vars({
      action: Type.Enum(['DDPI_ACTIVATED', 'DDPI_REVOKED', 'PLEDGE_CREATED', 'PLEDGE_RELEASED', 'PLEDGE_INVOKED'] as const),
      isin: Type.Optional(Isin), qty: Type.Optional(Quantity), ref: Reference,
    }),
    defaultChannels: ['sms'], timing: 'now', regulatory: true, audience: 'client',
    sample: { action: 'PLEDGE_CREATED', isin: 'INE002A01018', qty: 100, ref: 'PSN1234567890' },
  }),
] as const;

export type EventType = (typeof definitions)[number]['type'];

/** Every event type, in the order of DOMAIN.md §3. */
export const eventCatalog: readonly EventDefinition[] = definitions;
export const eventTypes: readonly EventType[] = definitions.map((d) => d.type);

const byType = new Map<string, EventDefinition>(eventCatalog.map((d) => [d.type, d]));

/** The definition of a type, or undefined for a type the catalog does not know. */
export function getEventDefinition(type: string): EventDefinition | undefined {
  return byType.get(type);
}

export function isEventType(type: string): type is EventType {
  return byType.has(type);
}

/** Compiled validators of each type's variables. */
export const variableValidators: ReadonlyMap<string, ReturnType<typeof Compile>> = new Map(eventCatalog.map((d) => [d.type, Compile(d.variables)]));

/** The catalog as plain JSON (variables as JSON Schema): what the API and the web app read. */
export function catalogAsJson() {
  return eventCatalog.map((d) => ({
    type: d.type, title: d.title, description: d.description, category: d.category, defaultChannels: [...d.defaultChannels], timing: d.timing,
    ...(d.schedule ? { schedule: d.schedule } : {}), regulatory: d.regulatory, audience: d.audience, ...(d.expiresWith ? { expiresWith: d.expiresWith } : {}),
    ...(d.throttleBy ? { throttleBy: [...d.throttleBy] } : {}),
    variables: JSON.parse(JSON.stringify(d.variables)) as Record<string, unknown>, sample: d.sample as Record<string, unknown>,
  }));
}
