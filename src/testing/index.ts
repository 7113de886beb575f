/**
 * `graceful-lifecycle/testing`: prove, in your own test suite, that your service shuts down
 * cleanly. `testShutdown()` starts it (a command, or an in-process lifecycle and server), drives
 * keep-alive load with a raw-socket client and an `http.Agent` client, sends SIGTERM (or calls
 * `stop()`), and says what happened; `assertCleanShutdown()` turns that into one assertion for
 * vitest, node:test, jest or mocha (it throws node:assert's `AssertionError`; nothing here imports
 * a test runner).
 *
 * @module
 */
export { assertCleanShutdown, type CleanShutdownExpectations } from './assert.js'
export { freePort } from './free-port.js'
export type { ClientKind, RequestRecord } from './load.js'
export type {
  DuringContext,
  LifecycleTarget,
  ServerTarget,
  TestShutdownOptions,
} from './options.js'
export { isFailure, type Outcome } from './outcome.js'
export { type OutcomeCounts, type ShutdownTestResult, testShutdown } from './test-shutdown.js'
