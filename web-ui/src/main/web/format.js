// Money is shown exactly: wei are BigInts formatted by viem, never floating point.
import { formatEther } from 'viem';

export function ether(wei) {
  if (wei === null || wei === undefined) return '–';
  return `${formatEther(BigInt(wei))} ETH`;
}

export function short(address) {
  return address ? `${address.slice(0, 6)}…${address.slice(-4)}` : '';
}

export function when(instant) {
  return instant ? new Date(instant).toISOString().replace('T', ' ').slice(0, 16) + ' UTC' : '';
}

/** Wei to a plain number of ether, for drawing charts only (tables show the exact amounts). */
export function etherNumber(wei) {
  return Number(formatEther(BigInt(wei)));
}

/** Basis points as a percentage with two decimals, exactly (9950 → "99.50 %"). */
export function percent(bps) {
  if (bps === null || bps === undefined) return '–';
  return `${Math.floor(bps / 100)}.${String(bps % 100).padStart(2, '0')} %`;
}

/** A percentage typed by a person ("99.5") as basis points (9950), exactly; NaN when it is not one. */
export function bpsOf(text) {
  const match = /^\s*(\d{1,3})(?:[.,](\d{0,2}))?\s*%?\s*$/.exec(String(text));
  if (!match) return NaN;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** A duration in seconds as a person reads it: "1 minute", "5 minutes", "1 hour", "90 seconds". */
export function duration(seconds) {
  const units = [[86_400, 'day'], [3_600, 'hour'], [60, 'minute']];
  for (const [size, name] of units) {
    if (seconds % size === 0) {
      const n = seconds / size;
      return `${n} ${name}${n === 1 ? '' : 's'}`;
    }
  }
  return `${seconds} seconds`;
}
