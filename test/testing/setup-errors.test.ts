import { createServer } from 'node:net'
import { describe, expect, it } from 'vitest'
import { ErrorCode, InvalidArgumentError, Lifecycle, TestSetupError } from '../../src/index.js'
import { testShutdown } from '../../src/testing/index.js'

describe('testShutdown() when the service cannot be tested: coded errors', () => {
  it('a command that exits before it listens: TestSetupError, with its output', async () => {
    const error = await testShutdown({
      command: [process.execPath, '-e', 'console.log("bad config"); process.exit(3)'],
    }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(TestSetupError)
    expect(error).toMatchObject({ code: ErrorCode.TEST_SETUP })
    expect((error as Error).message).toMatch(/exited before it listened:\nbad config/)
  })

  it('a server that listens on no TCP port: InvalidArgumentError naming `server`', async () => {
    // A net server on a Unix socket: `address()` is a string, not { port }.
    const server = createServer()
    const path = `/tmp/graceful-lifecycle-${process.pid}-${Date.now()}.sock`
    await new Promise<void>((resolve) => server.listen(path, resolve))
    try {
      const error = await testShutdown({
        lifecycle: new Lifecycle({ logger: false }),
        server: server as never,
      }).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(InvalidArgumentError)
      expect(error).toMatchObject({ code: ErrorCode.INVALID_ARGUMENT })
      expect((error as Error).message).toBe('Expected `server` of `testShutdown()` to listen on a TCP port')
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
