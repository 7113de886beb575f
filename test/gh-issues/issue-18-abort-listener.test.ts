import { expect, test } from 'vitest'
import { quiet } from '../core/helpers.js'
import { lines, runFixture, tempFile } from '../process/run-fixture.js'

test('issue 18.1: an abort listener of lifecycle.signal that throws under SIGTERM: every phase runs, the report is logged, exit 0', async () => {
  const file = tempFile()
  const fixture = runFixture('throwing-abort-listener', [file])
  await fixture.ready
  fixture.kill('SIGTERM')
  const exit = await fixture.exit
  expect(lines(file)).toEqual(['http', 'queue', 'db'])
  // The listeners' errors are in the log, named as what they are; the report follows them.
  const stderr = fixture.stderr()
  expect(stderr).toContain('an abort listener of `lifecycle.signal` threw')
  expect(stderr).toContain('listener boom')
  expect(stderr).toContain('onabort boom')
  expect(fixture.stdout()).toMatch(/stopped in \d+ ms/)
  expect(exit).toMatchObject({ code: 0, signal: null })
})

test('issue 18.1: the error reaches the `warning` event too, and the stop resolves ok', async () => {
  const lifecycle = quiet()
  const warnings: string[] = []
  lifecycle.on('warning', (message) => warnings.push(message))
  const seen: string[] = []
  const listener = () => {
    seen.push('removed')
  }
  lifecycle.signal.addEventListener('abort', listener)
  lifecycle.signal.removeEventListener('abort', listener)
  lifecycle.signal.addEventListener('abort', () => {
    throw new TypeError('boom')
  })
  lifecycle.signal.addEventListener('abort', () => seen.push('after'), { once: true })
  lifecycle.onStop('db', () => void seen.push('db'))
  const report = await lifecycle.stop()
  expect(report.ok).toBe(true)
  expect(seen).toEqual(['after', 'db'])
  expect(warnings).toEqual(['an abort listener of `lifecycle.signal` threw: boom'])
})
