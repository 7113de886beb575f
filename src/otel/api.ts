import { createRequire } from 'node:module'
import type * as Api from '@opentelemetry/api'
import { MissingPeerError } from '../core/errors.js'

/** @internal The part of `@opentelemetry/api` this subpath uses. */
export type OtelApi = Pick<typeof Api, 'context' | 'trace' | 'metrics'>

let loaded: OtelApi | undefined

/**
 * @internal Loads `@opentelemetry/api` when instrumentation is asked for, not when this subpath is
 * imported: it is an optional peer, and importing `graceful-lifecycle/otel` without it must work.
 * Its global registry lives on `globalThis`, so this copy and the user's share their providers.
 */
export function loadApi(name = '@opentelemetry/api'): OtelApi {
  if (loaded && name === '@opentelemetry/api') return loaded
  let api: OtelApi
  try {
    api = createRequire(import.meta.url)(name) as OtelApi
  } catch (error) {
    throw new MissingPeerError(
      name,
      `graceful-lifecycle/otel needs ${name}, an optional peer dependency that is not installed: npm install ${name}`,
      { cause: error },
    )
  }
  if (name === '@opentelemetry/api') loaded = api
  return api
}
