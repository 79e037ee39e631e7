// TRAI DLT: an SMS must match the content template registered for it, where each `{#var#}` stands
// for up to 30 characters and everything else must be the same, character for character. Operators
// scrub (drop) a message that does not match, so Pravah checks before it saves a template and again
// before every send. Also here: how many SMS segments a text costs (GSM-7 or UCS-2).

export const dltVariable = '{#var#}';
/** Most characters one `{#var#}` may carry (TRAI). */
export const dltVariableMaxLength = 30;

type Token = { kind: 'fixed'; text: string; at: number } | { kind: 'var'; index: number; at: number };

function tokenize(registered: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  let index = 0;
  while (at <= registered.length) {
    const next = registered.indexOf(dltVariable, at);
    const end = next === -1 ? registered.length : next;
    if (end > at) tokens.push({ kind: 'fixed', text: registered.slice(at, end), at });
    if (next === -1) break;
    tokens.push({ kind: 'var', index: ++index, at: next });
    at = next + dltVariable.length;
  }
  return tokens;
}

/** How many `{#var#}` a registered text holds. */
export function countDltVariables(registered: string): number {
  return tokenize(registered).filter((t) => t.kind === 'var').length;
}

export type DltCheck =
  | { ok: true; variables: number }
  | {
      ok: false;
      /** Offset in the rendered text where it stops matching. */
      position: number;
      /** Offset in the registered text of what was expected there. */
      registeredPosition: number;
      /** The `{#var#}` (1-based) that would have to hold too much, when that is the cause. */
      variable?: number;
      message: string;
    };

const show = (text: string, at: number, length = 12) => JSON.stringify(text.slice(at, at + length) + (text.length > at + length ? '…' : ''));

/**
 * Checks `text` against the registered template. On a mismatch it names the first character that
 * no reading of the variables can match, and what the registered text has there.
 */
export function checkDlt(registered: string, text: string, maxVariableLength = dltVariableMaxLength): DltCheck {
  const tokens = tokenize(registered);
  const variables = tokens.filter((t) => t.kind === 'var').length;
  // Reachability over (token, offset): a variable takes 0..max characters, fixed text must be equal.
  // The reading that gets furthest into the registered text (then into the rendered text) shows
  // where the two part.
  const seen = new Set<number>();
  let furthest = { offset: -1, token: 0, within: 0, registered: -1 };
  const reach = (offset: number, token: number, within: number) => {
    const r = token < tokens.length ? tokens[token]!.at + within : registered.length;
    if (r > furthest.registered || (r === furthest.registered && offset > furthest.offset)) furthest = { offset, token, within, registered: r };
  };
  const stride = text.length + 1;
  const stack: Array<[number, number]> = [[0, 0]];
  while (stack.length) {
    const [t, offset] = stack.pop()!;
    const key = t * stride + offset;
    if (seen.has(key)) continue;
    seen.add(key);
    if (t === tokens.length) {
      if (offset === text.length) return { ok: true, variables };
      reach(offset, t, 0);
      continue;
    }
    const token = tokens[t]!;
    if (token.kind === 'var') {
      for (let n = Math.min(maxVariableLength, text.length - offset); n >= 0; n--) stack.push([t + 1, offset + n]);
      continue;
    }
    let same = 0;
    while (same < token.text.length && text[offset + same] === token.text[same]) same++;
    if (same === token.text.length) stack.push([t + 1, offset + same]);
    else reach(offset + same, t, same);
  }
  return describeMismatch(registered, tokens, text, furthest, maxVariableLength);
}

function describeMismatch(registered: string, tokens: Token[], text: string, furthest: { offset: number; token: number; within: number; registered: number }, maxVariableLength: number): DltCheck {
  const position = Math.max(0, furthest.offset);
  const token = tokens[furthest.token];
  // Fixed text the registered template expects (or its end): when it does come, just too far after
  // the variable before it, that variable is what overflows.
  const before = tokens[furthest.token - 1];
  if (token?.kind !== 'var' && before?.kind === 'var') {
    // A run of adjacent {#var#} holds 30 characters for each.
    let first = furthest.token - 1;
    while (tokens[first - 1]?.kind === 'var') first--;
    const run = furthest.token - first;
    const firstVar = tokens[first]!;
    const cap = run * maxVariableLength;
    const varStart = findVariableStart(tokens, first, text, maxVariableLength);
    if (varStart !== undefined && firstVar.kind === 'var') {
      const found = token === undefined ? text.length : text.indexOf(token.text, varStart);
      const holds = found - varStart;
      if (found !== -1 && holds > cap) {
        const which = run === 1 ? `{#var#} ${firstVar.index}` : `{#var#} ${firstVar.index} to ${before.index}`;
        return {
          ok: false, position: varStart + cap, registeredPosition: firstVar.at, variable: firstVar.index,
          message: `${which} would hold ${holds} characters from character ${varStart + 1}; ${run === 1 ? 'a DLT variable holds' : `${run} adjacent variables hold`} at most ${cap}`,
        };
      }
    }
  }
  if (token === undefined) {
    return { ok: false, position, registeredPosition: registered.length, message: `the rendered text goes on past the end of the registered text at character ${position + 1}: ${show(text, position)}` };
  }
  const registeredPosition = token.at + furthest.within;
  const expected = token.kind === 'fixed' ? show(registered, registeredPosition) : '{#var#}';
  const found = position >= text.length ? 'the end of the text' : show(text, position);
  return {
    ok: false, position, registeredPosition,
    message: `the rendered text differs from the registered DLT text at character ${position + 1}: the registered text has ${expected} there, the rendered text has ${found}`,
  };
}

/** Where the variable run starting at token `t` begins in the text when everything before it matches. */
function findVariableStart(tokens: Token[], t: number, text: string, maxVariableLength: number): number | undefined {
  // Greedy, so exact for templates whose fixed text does not also occur inside a value before it:
  // the usual case, and only the wording of the message depends on it.
  let offset = 0;
  let i = 0;
  while (i < t) {
    const token = tokens[i]!;
    if (token.kind === 'fixed') {
      if (!text.startsWith(token.text, offset)) return undefined;
      offset += token.text.length;
      i++;
      continue;
    }
    let run = 0;
    while (tokens[i]?.kind === 'var') {
      run++;
      i++;
    }
    const next = tokens[i];
    if (next?.kind !== 'fixed') return undefined;
    const at = text.indexOf(next.text, offset);
    if (at === -1 || at - offset > run * maxVariableLength) return undefined;
    offset = at;
  }
  return offset;
}

/**
 * Splits a body into the width, in `{#var#}`, of each placeholder: where the body and the registered
 * text line up (the same fixed text, a run of `{#var#}` for each placeholder), placeholder i may
 * carry 30 characters per `{#var#}` of its run. Undefined when they do not line up.
 */
export function alignDltWidths(fixedParts: string[], registered: string): number[] | undefined {
  // The registered text as runs: fixed text, then the run of {#var#} after it.
  const runs: Array<{ fixed: string; vars: number }> = [{ fixed: '', vars: 0 }];
  for (const token of tokenize(registered)) {
    const last = runs[runs.length - 1]!;
    if (token.kind === 'var') last.vars++;
    else if (last.vars > 0) runs.push({ fixed: token.text, vars: 0 });
    else last.fixed += token.text;
  }
  if (runs[runs.length - 1]!.vars > 0) runs.push({ fixed: '', vars: 0 });
  if (runs.length !== fixedParts.length) return undefined;
  const widths: number[] = [];
  for (const [i, r] of runs.entries()) {
    const last = i === runs.length - 1;
    if (r.fixed !== fixedParts[i] || (last ? r.vars !== 0 : r.vars === 0)) return undefined;
    if (!last) widths.push(r.vars);
  }
  return widths;
}

// ---------- Segments ----------

const gsmBasic = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const gsmExtended = new Set('^{}\\[~]|€\f');

/** True when every character of `text` is in the GSM 03.38 alphabet (basic or extension table). */
export function isGsm7(text: string): boolean {
  for (const ch of text) if (!gsmBasic.has(ch) && !gsmExtended.has(ch)) return false;
  return true;
}

export type SmsMeasure = {
  encoding: 'gsm7' | 'ucs2';
  /** Characters as a reader counts them. */
  characters: number;
  /** Septets (GSM-7, extension characters count 2) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units one segment holds at this length: 160/153 for GSM-7, 70/67 for UCS-2. */
  perSegment: number;
};

/** Encoding and segment count of an SMS text (concatenated SMS lose 7 septets or 3 units to the header). */
export function measureSms(text: string): SmsMeasure {
  const characters = [...text].length;
  if (isGsm7(text)) {
    let units = 0;
    for (const ch of text) units += gsmExtended.has(ch) ? 2 : 1;
    const perSegment = units <= 160 ? 160 : 153;
    return { encoding: 'gsm7', characters, units, segments: Math.max(1, Math.ceil(units / perSegment)), perSegment };
  }
  const units = text.length;
  const perSegment = units <= 70 ? 70 : 67;
  return { encoding: 'ucs2', characters, units, segments: Math.max(1, Math.ceil(units / perSegment)), perSegment };
}
