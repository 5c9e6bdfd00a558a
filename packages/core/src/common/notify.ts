/** Calls one observer hook, keeping a faulty observer away from the work it watches. */
export function notify<Args extends unknown[]>(
  hook: ((...args: Args) => void) | undefined,
  ...args: Args
): void {
  if (hook === undefined) return;
  try {
    hook(...args);
  } catch {
    // Observability must never change what the relay or a consumer does.
  }
}
