export type { GroupMember, MemoryBrokerOptions } from './broker.js';
export { createMemoryBroker, MEMORY_HEADER_PREFIX, MemoryBroker } from './broker.js';
export type { MemoryTransport, MemoryTransportOptions } from './memory-transport.js';
export { createMemoryTransport } from './memory-transport.js';
