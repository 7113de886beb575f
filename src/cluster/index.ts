/**
 * `graceful-lifecycle/cluster`: graceful restart on one machine (the seeds' 优雅重启). A primary
 * runs N `node:cluster` workers, restarts them one at a time on SIGHUP (a new worker ready, then
 * an old one's lifecycle stopped, then the next), stops them all within its budget on SIGTERM,
 * and prints one report that holds each worker's stop.
 *
 * @module
 */
export type { ClusterPrimaryOptions } from './options.js'
export { type ClusterPrimary, clusterPrimary, type ReloadResult } from './primary.js'
export type { WorkerStop } from './stops.js'
export { type ClusterWorkerOptions, clusterWorker } from './worker.js'
