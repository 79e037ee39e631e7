// Places and contacts of synthetic clients: Indian addresses whose pincode matches the state,
// foreign addresses for non-residents, mobiles and emails.
import type { Address } from '../client-record.ts';
import { createWeighted, type Random } from './prng.ts';
import { buildings, cities, emailDomains, landmarks, streets, type City, type foreignPlaces } from './indian-data.ts';

export const pickCity = createWeighted(cities.map((city) => [city, city.weight] as const));

/** An address in `city` with a pincode from one of its postal prefixes. */
export function createIndianAddress(random: Random, city: City): Address {
  const house = random.chance(0.6) ? `Flat ${random.int(1, 24)}0${random.int(1, 8)}, ${random.pick(buildings)}` : `H.No. ${random.int(1, 999)}, ${random.pick(buildings)}`;
  const lines = [house, random.pick(streets)];
  if (random.chance(0.4)) lines.push(random.pick(landmarks));
  return { lines, city: city.name, stateCode: city.stateCode, pincode: `${random.pick(city.pinPrefixes)}${random.digits(3)}`, country: 'IN' };
}

function foreignPostalCode(random: Random, country: string, digits: number): string {
  if (country === 'GB') return `${random.letters(2)}${random.int(1, 9)} ${random.int(1, 9)}${random.letters(2)}`;
  if (country === 'CA') return `${random.letters(1)}${random.int(1, 9)}${random.letters(1)} ${random.int(1, 9)}${random.letters(1)}${random.int(1, 9)}`;
  return `${random.int(1, 9)}${random.digits(digits - 1)}`;
}

export type ForeignPlace = (typeof foreignPlaces)[number];

/** An address abroad (country, city, a postal code of the country's shape). */
export function createForeignAddress(random: Random, place: ForeignPlace): Address {
  return {
    lines: [`Apt ${random.int(100, 2999)}`, `${random.int(1, 400)} ${random.pick(['Palm Street', 'King Road', 'Marina Walk', 'Orchard Road', 'Park Avenue'])}`],
    city: place.city,
    pincode: foreignPostalCode(random, place.country, place.postalDigits),
    country: place.country,
  };
}

/** An Indian mobile in E.164 (+91, then 6-9 and nine digits). */
export function createIndianMobile(random: Random): string {
  return `+91${random.int(6, 9)}${random.digits(9)}`;
}

/** A mobile of the foreign place, in E.164. */
export function createForeignMobile(random: Random, place: ForeignPlace): string {
  return `${place.mobilePrefix}${random.digits(place.mobileDigits)}`;
}

/** `ravi.sharma123@gmail.com`-style address from name parts and a distinguishing number. */
export function createEmail(random: Random, first: string, last: string | undefined, n: number): string {
  const local = last !== undefined && random.chance(0.7) ? `${first}.${last}${n % 1000}` : `${first}${n % 100_000}`;
  return `${local.toLowerCase().replace(/[^a-z0-9.]/g, '')}@${random.pick(emailDomains)}`;
}

/** A different spelling of an Indian E.164 mobile, as feeds send it (all normalise back). */
export function respellMobile(random: Random, e164: string): string {
  const ten = e164.slice(3);
  switch (random.int(0, 4)) {
    case 0: return ten;
    case 1: return `0${ten}`;
    case 2: return `91${ten}`;
    case 3: return `+91 ${ten.slice(0, 5)} ${ten.slice(5)}`;
    default: return `+91-${ten}`;
  }
}
