// Error and timeline texts shown in the console lose personal values but keep ids readable.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactErrorText } from '../../src/events/dead-letters.ts';

test('mobiles, accounts, emails and PANs are masked; uuids and references are not', () => {
  const text = 'send to +919800000001 (a/c 123456789012, ravi@example.in, ABCPV1234K) failed for user:88561693-9eb9-46b2-927f-dc53d8c3c25d ref HDFCN52026021012345';
  const out = redactErrorText(text);
  for (const secret of ['9800000001', '123456789012', 'ravi@example.in', 'ABCPV1234K']) assert.ok(!out.includes(secret), `${secret} leaked: ${out}`);
  assert.ok(out.includes('user:88561693-9eb9-46b2-927f-dc53d8c3c25d'), out);
  assert.ok(out.includes('HDFCN52026021012345'), out);
});
