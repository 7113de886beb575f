import type { Server } from 'node:http'
import type { INestApplication, INestApplicationContext } from '@nestjs/common'
import type { FastifyInstance } from 'fastify'
import type Koa from 'koa'
import { describe, expectTypeOf, it } from 'vitest'
import { type FastifyAppLike, fastifyApp } from '../../src/fastify/index.js'
import type { Component } from '../../src/index.js'
import { type NestjsAppLike, nestjsApp } from '../../src/nestjs/index.js'

describe('framework types accept the real frameworks without importing them', () => {
  it('a Fastify instance (HTTP/1 and HTTP/2) is a FastifyAppLike', () => {
    expectTypeOf<FastifyInstance>().toMatchTypeOf<FastifyAppLike>()
    expectTypeOf<FastifyInstance<import('node:http2').Http2SecureServer>>().toMatchTypeOf<FastifyAppLike>()
    expectTypeOf(fastifyApp).returns.toEqualTypeOf<Component>()
  })

  it('a Nest application and an application context are NestjsAppLike', () => {
    expectTypeOf<INestApplication>().toMatchTypeOf<NestjsAppLike>()
    expectTypeOf<INestApplicationContext>().toMatchTypeOf<NestjsAppLike>()
    expectTypeOf(nestjsApp).returns.toEqualTypeOf<Component>()
  })

  it('the wrong thing does not compile', () => {
    // A bare node:http server (close() is callback-style, no addHook) is not a Fastify app.
    expectTypeOf<Server>().not.toMatchTypeOf<FastifyAppLike>()
    expectTypeOf<Koa>().not.toMatchTypeOf<FastifyAppLike>()
    // Nothing with a synchronous close.
    expectTypeOf<{ close(): void }>().not.toMatchTypeOf<NestjsAppLike>()
    // Never called: only compiled.
    const wrong = (app: FastifyInstance, server: Server) => [
      // @ts-expect-error: a duration is a number of ms
      fastifyApp(app, { closeTimeout: '1s' }),
      // @ts-expect-error: a server is not the app
      fastifyApp(server),
      // @ts-expect-error: neither is it a Nest app
      nestjsApp(server),
    ]
    expectTypeOf(wrong).toBeFunction()
  })
})
