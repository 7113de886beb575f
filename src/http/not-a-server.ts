import { InvalidArgumentError } from '../core/errors.js'
import type { ServerLike } from './types.js'

// A framework's app holds a server but is not one: given one, `httpServer()` names the call to
// use, at compile time (the property name below is what tsc prints) and at the call.

/** What tells a Fastify app from a server. @inline */
interface FastifyShaped {
  readonly server: unknown
  addHook(...args: never[]): unknown
  inject(...args: never[]): unknown
}
/** What tells a NestJS app from a server. @inline */
interface NestShaped {
  getHttpServer(): unknown
  close(...args: never[]): unknown
}

const FASTIFY =
  'a Fastify app: register `fastifyApp(app)` from `graceful-lifecycle/fastify` (it drains, then runs `app.close()`), or pass `app.server`'
const NEST =
  'a NestJS app: register `nestjsApp(app)` from `graceful-lifecycle/nestjs` (it drains, then runs `app.close()`), or pass `app.getHttpServer()`'
const APP = 'an app, not its server: pass the server `app.listen()` returns'

/**
 * What `httpServer()` accepts: a server; for a Fastify or NestJS app, a type that cannot be met,
 * whose one property says what to write instead.
 */
export type NotAnApp<S> = S extends ServerLike
  ? unknown
  : S extends FastifyShaped
    ? {
        readonly 'a Fastify app is not a server: register fastifyApp(app) from graceful-lifecycle/fastify, or pass app.server': never
      }
    : S extends NestShaped
      ? {
          readonly 'a NestJS app is not a server: register nestjsApp(app) from graceful-lifecycle/nestjs, or pass app.getHttpServer()': never
        }
      : unknown

/** What may be passed at all; `NotAnApp` then turns the apps away with their hint. */
export type ServerOrApp = ServerLike | FastifyShaped | NestShaped

/** @internal Throws, naming the right call, when `value` is a framework's app rather than a server. */
export function refuseApp(where: string, value: unknown): void {
  if (value === null || (typeof value !== 'object' && typeof value !== 'function')) return
  const app = value as Record<string, unknown>
  const hint =
    typeof app.addHook === 'function' && typeof app.inject === 'function' && 'server' in app
      ? FASTIFY
      : typeof app.getHttpServer === 'function'
        ? NEST
        : typeof app.listen === 'function' && typeof app.address !== 'function'
          ? APP
          : undefined
  if (hint !== undefined) {
    throw new InvalidArgumentError(
      `Expected \`server\` of ${where} to be a \`node:http\`, \`node:https\` or \`node:http2\` server, got ${hint}`,
    )
  }
}
