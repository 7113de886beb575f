import { createRequire } from 'node:module'
import type * as eventemitter3 from 'eventemitter3'

/**
 * @internal eventemitter3's `EventEmitter`, loaded through `require()`. Its ES module entry only
 * wraps the CommonJS one, and Node pays for that wrap: importing it costs about 39 M instructions,
 * requiring it about 17 M (`npm run bench -- import`). The class is the same either way.
 */
export const EventEmitter: typeof eventemitter3.EventEmitter = (
  createRequire(import.meta.url)('eventemitter3') as typeof eventemitter3
).EventEmitter
