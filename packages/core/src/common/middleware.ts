/** Wraps one unit of work: it runs `next` (or not) and may look at or replace its result. */
export type Middleware<Subject, Result> = (subject: Subject, next: () => Promise<Result>) => Promise<Result>;

/** Runs `innermost` through `middleware`, the first one outermost. */
export function runThrough<Subject, Result>(
  middleware: readonly Middleware<Subject, Result>[],
  subject: Subject,
  innermost: () => Promise<Result>,
): Promise<Result> {
  if (middleware.length === 0) return innermost();
  const chain = middleware.reduceRight<() => Promise<Result>>(
    (next, wrap) => () => wrap(subject, next),
    innermost,
  );
  return chain();
}
