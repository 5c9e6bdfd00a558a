/** What the card gateway says to a charge: at once, or later through its webhook. */
export type GatewayAnswer =
  | { readonly outcome: 'approved' }
  | { readonly outcome: 'declined'; readonly reason: string }
  | { readonly outcome: 'pending'; readonly answerAfterMs: number; readonly approved: boolean };

/** Test cards of the simulated gateway, as payment providers document theirs. */
export const CARDS = {
  approved: 'tok_visa',
  declined: 'tok_visa_insufficient_funds',
  /** The issuing bank answers only after `slowBankAnswerMs`, approving the charge. */
  slowBank: 'tok_visa_slow_bank',
} as const;

/** A stand-in for a card gateway's API: approves, declines, or leaves the charge pending. */
export function charge(card: string, slowBankAnswerMs: number): GatewayAnswer {
  switch (card) {
    case CARDS.declined:
      return { outcome: 'declined', reason: 'insufficient funds' };
    case CARDS.slowBank:
      return { outcome: 'pending', answerAfterMs: slowBankAnswerMs, approved: true };
    default:
      return { outcome: 'approved' };
  }
}
