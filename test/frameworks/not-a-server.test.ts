import { mkdirSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { NestFactory } from '@nestjs/core'
import express from 'express'
import Fastify from 'fastify'
import ts from 'typescript'
import { afterAll, describe, expect, test } from 'vitest'
import { httpServer } from '../../src/http/index.js'
import { ErrorCode } from '../../src/index.js'
import { ROOT } from '../examples/child.js'

const dir = join(ROOT, '.tmp', `not-a-server-${process.pid}`)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

/** What tsc says about `code`, compiled as a user's file against src/. */
function compile(code: string): string[] {
  mkdirSync(dir, { recursive: true })
  const file = join(dir, 'app.ts')
  writeFileSync(file, code)
  const program = ts.createProgram([file], {
    strict: true,
    noEmit: true,
    skipLibCheck: true,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    target: ts.ScriptTarget.ES2022,
    types: ['node'],
  })
  return ts
    .getPreEmitDiagnostics(program)
    .map((diagnostic) => ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'))
}

describe('httpServer() given an app instead of its server says which call to use', () => {
  test('at the call: Fastify, NestJS and Express apps each get their own pointer', async () => {
    const fastify = Fastify()
    expect(() => httpServer(fastify as never)).toThrow(
      expect.objectContaining({
        name: 'InvalidArgumentError',
        code: ErrorCode.INVALID_ARGUMENT,
        message: expect.stringMatching(
          /^Expected `server` of `httpServer\(\)` to be a `node:http`, `node:https` or `node:http2` server, got a Fastify app: register `fastifyApp\(app\)` from `graceful-lifecycle\/fastify`.*, or pass `app\.server`$/,
        ),
      }),
    )
    expect(() => httpServer(fastify.server)).not.toThrow()
    await fastify.close()

    const nest = await NestFactory.create(class {} as never, { logger: false })
    try {
      expect(() => httpServer(nest as never)).toThrow(
        /register `nestjsApp\(app\)`.*or pass `app\.getHttpServer\(\)`/,
      )
    } finally {
      await nest.close()
    }
    expect(() => httpServer(express() as never)).toThrow(/pass the server `app\.listen\(\)` returns/)
  })

  test('at compile time: the error names fastifyApp(app) and app.server; the server compiles', () => {
    const src = join(ROOT, 'src/http/index.ts').replace(/\.ts$/, '.js')
    const errors = compile(
      `import Fastify from 'fastify'\nimport { httpServer } from ${JSON.stringify(src)}\nconst app = Fastify()\nhttpServer(app)\nhttpServer(app.server)\n`,
    )
    expect(errors).toHaveLength(1)
    expect(errors[0]).toContain(
      "'a Fastify app is not a server: register fastifyApp(app) from graceful-lifecycle/fastify, or pass app.server'",
    )
  }, 180_000)
})
