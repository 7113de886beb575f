import { describe, expect, test } from 'vitest'
import { delay, lines, printed, runFixture, tempFile } from './run-fixture.js'

describe.concurrent("PM2's 'shutdown' message is SIGINT", () => {
  test("a forked child with an IPC channel stops on 'shutdown' and exits 0", async () => {
    const file = tempFile()
    const fixture = runFixture('pm2', [file], { ipc: true })
    await fixture.ready
    fixture.child.send('shutdown')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 0, signal: null })
    expect(lines(file)).toEqual(['http'])
    expect(fixture.stdout()).toContain('received SIGINT: stopping')
  })

  test("a second 'shutdown' during a hung stop forces it: exit 130", async () => {
    const fixture = runFixture('pm2', ['', 'hang'], { ipc: true })
    await fixture.ready
    fixture.child.send('shutdown')
    // Past the burst window, counted from when the child took the first message.
    await printed(fixture, /received SIGINT: stopping/)
    await delay(500)
    fixture.child.send('shutdown')
    const exit = await fixture.exit

    expect(exit).toMatchObject({ code: 130, signal: null })
    expect(fixture.stderr()).toContain('still running: `http`')
  })
})
