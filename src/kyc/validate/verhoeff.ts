// Verhoeff check digit (dihedral group D5), the checksum of Aadhaar numbers. It catches every
// single-digit error and every swap of adjacent digits.

const multiplication = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 2, 3, 4, 0, 6, 7, 8, 9, 5],
  [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
  [3, 4, 0, 1, 2, 8, 9, 5, 6, 7],
  [4, 0, 1, 2, 3, 9, 5, 6, 7, 8],
  [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
  [6, 5, 9, 8, 7, 1, 0, 4, 3, 2],
  [7, 6, 5, 9, 8, 2, 1, 0, 4, 3],
  [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
  [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
];
const permutation = [
  [0, 1, 2, 3, 4, 5, 6, 7, 8, 9],
  [1, 5, 7, 6, 2, 8, 3, 0, 9, 4],
  [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
  [8, 9, 1, 6, 0, 4, 3, 5, 2, 7],
  [9, 4, 5, 3, 1, 2, 6, 8, 7, 0],
  [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
  [2, 7, 9, 3, 8, 0, 6, 4, 1, 5],
  [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
];
const inverse = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9];

// `offset` 1 when computing a digit to append (the payload shifts one place left).
function foldDigits(digits: string, offset: number): number {
  let check = 0;
  for (let i = 0; i < digits.length; i++) {
    const digit = digits.charCodeAt(digits.length - 1 - i) - 48;
    check = multiplication[check]![permutation[(i + offset) % 8]![digit]!]!;
  }
  return check;
}

/** The Verhoeff digit to append to `digits` (a string of 0-9 only). */
export function computeVerhoeffDigit(digits: string): number {
  return inverse[foldDigits(digits, 1)]!;
}

/** True when the last digit of `digits` (0-9 only, at least two) is its Verhoeff check digit. */
export function isVerhoeffValid(digits: string): boolean {
  return /^\d{2,}$/.test(digits) && foldDigits(digits, 0) === 0;
}
