// The placeholder syntax of template text: `{{name}}`, `{{name:format}}`, `{{name|fallback}}` and
// `{{name:format|fallback}}`. The fallback is used when the variable is absent, null or an empty
// list (an optional catalog variable); without one, an absent variable fails the render.

export type Placeholder = {
  name: string;
  format: string | undefined;
  fallback: string | undefined;
  /** Offset of `{{` in the text. */
  start: number;
  /** Offset just past `}}`. */
  end: number;
};

export type TextPart = { kind: 'text'; text: string; start: number } | { kind: 'placeholder'; placeholder: Placeholder };

export type SyntaxIssue = { position: number; message: string };

const expression = /^\s*([A-Za-z][A-Za-z0-9_]*)\s*(?::\s*([a-z_]+)\s*)?(?:\|([^{}]*))?$/;

/** Parses the inside of `{{…}}` (also a WhatsApp parameter expression); undefined when malformed. */
export function parseExpression(text: string): Omit<Placeholder, 'start' | 'end'> | undefined {
  const m = expression.exec(text);
  if (!m) return undefined;
  return { name: m[1]!, format: m[2], fallback: m[3] };
}

/** Splits template text into fixed text and placeholders, with every syntax problem it holds. */
export function parseTemplateText(text: string): { parts: TextPart[]; issues: SyntaxIssue[] } {
  const parts: TextPart[] = [];
  const issues: SyntaxIssue[] = [];
  let cursor = 0;
  let textStart = 0;
  let pending = '';
  while (cursor < text.length) {
    const open = text.indexOf('{{', cursor);
    const strayClose = text.indexOf('}}', cursor);
    if (strayClose !== -1 && (open === -1 || strayClose < open)) {
      issues.push({ position: strayClose, message: `“}}” at character ${strayClose + 1} closes no placeholder` });
    }
    if (open === -1) break;
    const close = text.indexOf('}}', open + 2);
    const nextOpen = text.indexOf('{{', open + 2);
    if (close === -1 || (nextOpen !== -1 && nextOpen < close)) {
      issues.push({ position: open, message: `the placeholder opened at character ${open + 1} is not closed with “}}”` });
      pending += text.slice(cursor, open + 2);
      cursor = open + 2;
      continue;
    }
    const parsed = parseExpression(text.slice(open + 2, close));
    if (!parsed) {
      issues.push({ position: open, message: `the placeholder at character ${open + 1} is not {{name}}, {{name:format}} or {{name|fallback}}` });
      pending += text.slice(cursor, close + 2);
      cursor = close + 2;
      continue;
    }
    pending += text.slice(cursor, open);
    if (pending) parts.push({ kind: 'text', text: pending, start: textStart });
    pending = '';
    parts.push({ kind: 'placeholder', placeholder: { ...parsed, start: open, end: close + 2 } });
    cursor = close + 2;
    textStart = cursor;
  }
  pending += text.slice(cursor);
  if (pending) parts.push({ kind: 'text', text: pending, start: textStart });
  return { parts, issues };
}

/** The placeholders of a text, in order (malformed ones left out). */
export function placeholdersOf(text: string): Placeholder[] {
  return parseTemplateText(text).parts.flatMap((p) => (p.kind === 'placeholder' ? [p.placeholder] : []));
}
