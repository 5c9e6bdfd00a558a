/** An amount in cents as the demos print it: `€12.34`. */
export const formatCents = (cents: number): string => `€${(cents / 100).toFixed(2)}`;
