import { once } from 'node:events'
import { mkdtempSync } from 'node:fs'
import { connect, createServer, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { expect, test } from 'vitest'
import { unwritten } from '../../src/core/signals/flush.js'

// The watchdog keeps a process alive while its stdout drains, judged by what stdout has not written
// yet shrinking between two looks. That figure must shrink only as a reader reads: on Node 24 a
// stream hands the lines it buffered to libuv as one large write once the first one completes, and
// `writableLength + writeQueueSize` then jumped up by that write (+1.66 MB), so a watchdog looking
// just before and just after took a draining stdout for a hang and dropped its lines.
test('what a stream has not written never grows while a reader drains it, and ends at 0', async () => {
  const path = join(mkdtempSync(join(tmpdir(), 'gl-pending-')), 'sock')
  const accepted = new Promise<Socket>((resolve) => {
    const server = createServer({ pauseOnConnect: true }, (socket) => {
      server.close()
      resolve(socket)
    })
    server.listen(path)
  })
  const writer = connect(path)
  await once(writer, 'connect')
  const reader = await accepted

  const line = `audit line ${'x'.repeat(80)}\n`
  let total = 0
  for (let i = 0; i < 20_000; i++) {
    writer.write(line)
    total += line.length
  }
  const first = unwritten(writer)
  // The reader has taken nothing: all but what the kernel's buffer took is still to be written.
  expect(first).toBeGreaterThan(total / 2)
  expect(first).toBeLessThanOrEqual(total)

  const looks = [first]
  let read = 0
  reader.on('data', (chunk: Buffer) => {
    read += chunk.length
    looks.push(unwritten(writer))
  })
  reader.resume()
  writer.end()
  await once(reader, 'end')

  expect(read).toBe(total)
  expect(looks.length).toBeGreaterThan(2)
  for (let i = 1; i < looks.length; i++) expect(looks[i]).toBeLessThanOrEqual(looks[i - 1] as number)
  expect(unwritten(writer)).toBe(0)
  reader.destroy()
})

test('a stream without Node internals (Bun, Deno, a file) counts its writableLength', () => {
  expect(unwritten({ writableLength: 42 })).toBe(42)
  expect(unwritten({})).toBe(0)
  const throwing = {
    get writableLength(): number {
      throw new Error('getter')
    },
  }
  expect(unwritten(throwing)).toBe(0)
})
