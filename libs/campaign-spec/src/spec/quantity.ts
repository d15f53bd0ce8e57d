// A host count (5) or a percentage of the hosts to upgrade ("25%").
export type Quantity =
  | { readonly kind: 'count'; readonly count: number }
  | { readonly kind: 'percent'; readonly percent: number };

export const PERCENT_PATTERN = '^\\d+(\\.\\d+)?%$';

/**
 * Hosts a quantity stands for out of `total`. Wave sizes round up (a non-zero
 * percentage always means at least one host); a failure budget rounds down, the
 * cautious side.
 */
export function resolveQuantity(quantity: Quantity, total: number, rounding: 'up' | 'down'): number {
  if (quantity.kind === 'count') return quantity.count;
  const exact = (quantity.percent * total) / 100;
  // Guard against float noise such as 7.000000000000001.
  const cleaned = Math.round(exact * 1e9) / 1e9;
  return rounding === 'up' ? Math.ceil(cleaned) : Math.floor(cleaned);
}

export function formatQuantity(quantity: Quantity): string {
  return quantity.kind === 'count' ? String(quantity.count) : `${quantity.percent}%`;
}
