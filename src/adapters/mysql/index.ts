/**
 * `graceful-lifecycle/mysql`: a MySQL/MariaDB `mysql2` pool or `PoolCluster` (promise or callback
 * API) as a lifecycle component. On stop it waits for the queries in flight, then ends the pool.
 *
 * @module
 */
export { type MysqlPoolClusterLike, type MysqlPoolClusterOptions, mysqlPoolCluster } from './cluster.js'
export { type MysqlPoolLike, type MysqlPoolOptions, mysqlPool } from './pool.js'
