import { describe, expectTypeOf, it } from 'vitest'
import {
  type ClusterPrimary,
  clusterPrimary,
  type ReloadResult,
  type WorkerStop,
} from '../../src/cluster/index.js'
import { type CheckResult, drainDelay, type HealthStatus, health } from '../../src/health/index.js'
import type { Component, ShutdownReport } from '../../src/index.js'
import { assertCleanShutdown, type ShutdownTestResult, testShutdown } from '../../src/testing/index.js'

describe('public types of health, cluster and testing', () => {
  it('are what the docs say', () => {
    expectTypeOf(drainDelay).toBeCallableWith({ periodSeconds: 2, failureThreshold: 1 })
    expectTypeOf(drainDelay).toBeCallableWith(5_000, { probe: { periodSeconds: 2, failureThreshold: 1 } })
    expectTypeOf(drainDelay).returns.toEqualTypeOf<Component>()
    expectTypeOf(health).toBeCallableWith({ checks: { db: () => true } })
    expectTypeOf(health).returns.toMatchTypeOf<Component>()
    expectTypeOf<ReturnType<ReturnType<typeof health>['check']>>().toEqualTypeOf<Promise<HealthStatus>>()
    expectTypeOf<HealthStatus['checks']>().toEqualTypeOf<Readonly<Record<string, CheckResult>> | undefined>()
    expectTypeOf(clusterPrimary).returns.toEqualTypeOf<ClusterPrimary>()
    expectTypeOf<ClusterPrimary>().toMatchTypeOf<Component>()
    expectTypeOf<ReturnType<ClusterPrimary['reload']>>().toEqualTypeOf<Promise<ReloadResult>>()
    expectTypeOf<ReloadResult['replaced']>().toEqualTypeOf<readonly WorkerStop[]>()
    expectTypeOf(testShutdown).returns.toEqualTypeOf<Promise<ShutdownTestResult>>()
    expectTypeOf<ShutdownTestResult['report']>().toEqualTypeOf<ShutdownReport | undefined>()
    expectTypeOf(assertCleanShutdown).returns.toEqualTypeOf<void>()
  })
})
