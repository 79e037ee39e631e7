// Masked forms for display and logs. The length of what is hidden is kept for identifiers (an
// operator recognises a PAN by its shape) but not for emails, whose local part length is itself
// a hint.

/** `ABCDE1234F` → `XXXXXX234F`: everything but the last `visible` characters becomes X. */
export function maskTail(value: string, visible = 4): string {
  const chars = [...value];
  if (chars.length <= visible) return 'X'.repeat(chars.length);
  return 'X'.repeat(chars.length - visible) + chars.slice(chars.length - visible).join(''); // not slice(-visible): -0 is 0
}

/** `asha.verma@example.in` → `a****@example.in`. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return maskTail(email, 0);
  return `${[...email][0]}****${email.slice(at)}`;
}

/** `+919876543210` → `+91XXXXXX3210`. */
export function maskMobile(e164: string): string {
  const m = /^(\+\d{2})(\d+)$/.exec(e164);
  return m ? `${m[1]}${maskTail(m[2]!, 4)}` : maskTail(e164, 4);
}
