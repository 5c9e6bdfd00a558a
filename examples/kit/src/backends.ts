import type { EventloomOptions } from '@eventloom/core';

type Env = Readonly<Record<string, string | undefined>>;

/** A broker or database the examples can run on, as configuration for `createEventloom`. */
export interface Backend {
  readonly name: string;
  readonly config: Pick<EventloomOptions, 'store' | 'transport'>;
}

interface BackendRecipe {
  readonly name: string;
  /** What `scripts/services.sh` writes to `.services/env` for it. */
  readonly variables: readonly string[];
  readonly config: (env: Env) => Backend['config'];
}

/** The schema the examples use on PostgreSQL; their ids are unique per run, so runs can share it. */
const EXAMPLES_SCHEMA = 'eventloom_examples';

const RECIPES: readonly BackendRecipe[] = [
  {
    name: 'NATS JetStream',
    variables: ['EVENTLOOM_NATS_URL'],
    config: (env) => ({ transport: env.EVENTLOOM_NATS_URL! }),
  },
  {
    name: 'Kafka',
    variables: ['EVENTLOOM_KAFKA_BROKERS'],
    config: (env) => ({ transport: `kafka://${env.EVENTLOOM_KAFKA_BROKERS}` }),
  },
  {
    name: 'SNS/SQS',
    variables: ['EVENTLOOM_SQS_ENDPOINT', 'EVENTLOOM_AWS_REGION'],
    config: (env) => ({ transport: sqsUrl(env) }),
  },
  {
    name: 'PostgreSQL',
    variables: ['EVENTLOOM_PG_URL'],
    config: (env) => ({ store: withSchema(env.EVENTLOOM_PG_URL!, EXAMPLES_SCHEMA), transport: 'memory:' }),
  },
];

/**
 * The backends whose servers are configured. One that is not fails the run when `CI` is set
 * (CI must run the examples everywhere), and is skipped with a warning otherwise.
 */
export function configuredBackends(env: Env = process.env): Backend[] {
  const missing = RECIPES.filter((recipe) => recipe.variables.some((variable) => !env[variable]));
  if (missing.length > 0) {
    const names = missing.map((recipe) => `${recipe.name} (${recipe.variables.join(', ')})`).join(', ');
    const hint = 'run `bash scripts/services.sh up` and `set -a; . .services/env; set +a`';
    if (env.CI)
      throw new Error(`CI must run the examples on every backend, but these are not set: ${names}; ${hint}`);
    console.warn(`Skipping the examples on ${names}: not set; ${hint}`);
  }
  return RECIPES.filter((recipe) => !missing.includes(recipe)).map((recipe) => ({
    name: recipe.name,
    config: recipe.config(env),
  }));
}

/** `sqs://key:secret@region?endpoint=…`, with the test credentials the services script sets. */
export function sqsUrl(env: Env): string {
  const key = encodeURIComponent(env.EVENTLOOM_AWS_ACCESS_KEY_ID ?? 'test');
  const secret = encodeURIComponent(env.EVENTLOOM_AWS_SECRET_ACCESS_KEY ?? 'test');
  const sns = env.EVENTLOOM_SNS_ENDPOINT ? `&snsEndpoint=${env.EVENTLOOM_SNS_ENDPOINT}` : '';
  return `sqs://${key}:${secret}@${env.EVENTLOOM_AWS_REGION}?endpoint=${env.EVENTLOOM_SQS_ENDPOINT}${sns}`;
}

/** A PostgreSQL URL whose store lives in `schema`. */
export function withSchema(url: string, schema: string): string {
  return `${url}${url.includes('?') ? '&' : '?'}schema=${schema}`;
}
