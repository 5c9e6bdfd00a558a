/** A student's purchase of a course: every event of the enrolment carries it along. (A type, not an interface, so that it is JSON to the envelope.) */
export type Purchase = {
  readonly paymentId: string;
  readonly studentId: string;
  readonly courseId: string;
  /** In cents. */
  readonly amount: number;
};

/** A purchase that did not lead to an enrolment, and why. */
export type Refusal = Purchase & { readonly reason: string };
