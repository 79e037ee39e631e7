// Text normalisation, applied before any rule (DOMAIN.md §2). All functions are idempotent:
// normalising twice gives the same text as normalising once, so re-ingesting our own output is a
// no-op.

const whitespaceRun = /\s+/gu;
// Zero-width and bidi controls are invisible in a reject report and change equality, so they go.
const invisible = /[\u200b-\u200f\u2060\u202a-\u202e\u2066-\u2069]/gu;
const identifierSeparators = /[\s\-./]/gu;
const phoneSeparators = /[\s\-.()]/gu;

// Printable ASCII words separated by single spaces: already normal, and most of every feed.
const plainAscii = /^[!-~]+(?: [!-~]+)*$/;

/** Unicode NFC, invisible controls removed, whitespace runs collapsed to one space, trimmed. */
export function normalizeText(value: string): string {
  if (plainAscii.test(value)) return value;
  // Invisible characters go before NFC: removing one can bring a letter and its accent together.
  return value.replace(invisible, '').normalize('NFC').replace(whitespaceRun, ' ').trim();
}

/** Text normalisation plus uppercase: for codes (KRA, segment, state, relation...). */
export function normalizeCode(value: string): string {
  return normalizeText(normalizeText(value).toUpperCase());
}

/**
 * Code normalisation with separators (space, hyphen, dot, slash) removed: PAN, IFSC, BO id, Aadhaar.
 * Separators go first, so the text normalisation sees the characters that end up adjacent.
 */
export function normalizeIdentifier(value: string): string {
  return normalizeCode(value.replace(identifierSeparators, ''));
}

/** Phone numbers: separators and brackets removed, the leading + kept. */
export function normalizePhone(value: string): string {
  return normalizeText(value.replace(phoneSeparators, ''));
}

/** Emails: trimmed, NFC and lowercased (the local part is case-insensitive at every Indian provider). */
export function normalizeEmail(value: string): string {
  return normalizeText(normalizeText(value).toLowerCase());
}
