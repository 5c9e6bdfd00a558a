/** The W3C trace context an envelope carries (its `traceparent` and `tracestate` attributes). */
export interface TraceHeaders {
  readonly traceparent: string;
  readonly tracestate?: string;
}

/** Reports the trace context of the work in progress (the active span), or undefined outside one. */
export type TraceContextSource = () => TraceHeaders | undefined;

let source: TraceContextSource | undefined;

/**
 * Makes every envelope created from now on carry the trace context `next` reports, in place of
 * its cause's: messages produced inside a span become its children, whichever helper made them.
 * Returns the undo. Tracing installs one; without it, envelopes keep their cause's trace context.
 */
export function setTraceContextSource(next: TraceContextSource | undefined): () => void {
  const previous = source;
  source = next;
  return () => {
    if (source === next) source = previous;
  };
}

export function currentTraceHeaders(): TraceHeaders | undefined {
  return source?.();
}
