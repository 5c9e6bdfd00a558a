export { type Backend, configuredBackends, sqsUrl, withSchema } from './backends.js';
export { formatCents } from './money.js';
export { type Driver, runProgram } from './program.js';
export { ALL_SERVICES, chooseServices, type Service, wiringOf } from './services.js';
export { type OpenSystemOptions, openSystem, type SystemDefinition } from './system.js';
export { Timeline, type Write } from './timeline.js';
export { type WaitUntilOptions, waitUntil } from './wait.js';
