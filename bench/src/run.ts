import { writeResults } from './measure.js';
import { benchSqliteStore } from './sqlite-store.js';

const only = process.argv[2];
const suites: Record<string, () => Promise<unknown>> = {
  'sqlite-store': benchSqliteStore,
  'postgres-store': () => import('./postgres-store.js').then((bench) => bench.benchPostgresStore()),
  kafka: () => import('./kafka.js').then(({ benchKafka }) => benchKafka()),
  nats: () => import('./nats.js').then(({ benchNats }) => benchNats()),
  sqs: () => import('./sqs.js').then(({ benchSqs }) => benchSqs()),
  'end-to-end': () => import('./end-to-end.js').then(({ benchEndToEnd }) => benchEndToEnd()),
  saga: () => import('./saga.js').then(({ benchSaga }) => benchSaga()),
  observability: () => import('./observability.js').then(({ benchObservability }) => benchObservability()),
};

for (const [name, run] of Object.entries(suites)) {
  if (only !== undefined && only !== name) continue;
  const rows = await run();
  console.log(`→ ${writeResults(name, rows)}`);
}
