import { describe, expect, test } from 'vitest'
import { hooksByName, quiet } from './helpers.js'

describe('only what started is stopped', () => {
  test('without start(), components with a start hook are not stopped; stop-only ones are', async () => {
    const lifecycle = quiet()
    const stopped: string[] = []
    lifecycle.register({ name: 'with-start', start: () => {}, stop: () => void stopped.push('with-start') })
    lifecycle.register({ name: 'stop-only', stop: () => void stopped.push('stop-only') })
    lifecycle.onStop('on-stop', () => void stopped.push('on-stop'))
    const report = await lifecycle.stop()
    expect(stopped).toEqual(['stop-only', 'on-stop'])
    expect([...hooksByName(report).keys()]).toEqual(['stop-only', 'on-stop'])
  })

  test('after start(), a component whose start hook succeeded is stopped', async () => {
    const lifecycle = quiet()
    const stopped: string[] = []
    lifecycle.register({ name: 'db', start: async () => {}, stop: () => void stopped.push('db') })
    await lifecycle.start()
    expect(lifecycle.state).toBe('running')
    await lifecycle.stop()
    expect(stopped).toEqual(['db'])
  })

  test('a start-only component (onStart) is not part of the stop', async () => {
    const lifecycle = quiet()
    lifecycle.onStart('warm', () => {})
    await lifecycle.start()
    const report = await lifecycle.stop()
    expect(report.phases).toEqual([])
  })

  test('an unregistered component neither starts nor stops; its name is free again', async () => {
    const lifecycle = quiet()
    const calls: string[] = []
    const off = lifecycle.register({
      name: 'db',
      start: () => void calls.push('start:old'),
      stop: () => void calls.push('stop:old'),
    })
    off()
    off()
    const offNew = lifecycle.register({
      name: 'db',
      start: () => void calls.push('start:new'),
      stop: () => void calls.push('stop:new'),
    })
    // The old unregister function must not remove the new component of the same name.
    off()
    await lifecycle.start()
    await lifecycle.stop()
    expect(calls).toEqual(['start:new', 'stop:new'])
    expect(typeof offNew).toBe('function')
  })

  test('unregistering during a stop does not take the component out of that stop', async () => {
    const lifecycle = quiet()
    const ran: string[] = []
    let off = (): void => {}
    lifecycle.onStop(
      'first',
      () => {
        off()
      },
      { priority: 1 },
    )
    off = lifecycle.onStop('second', () => void ran.push('second'))
    await lifecycle.stop()
    expect(ran).toEqual(['second'])
  })

  test('onStop() and onStart() return their unregister function too', async () => {
    const lifecycle = quiet()
    const calls: string[] = []
    lifecycle.onStart('s', () => void calls.push('s'))()
    lifecycle.onStop('t', () => void calls.push('t'))()
    await lifecycle.start()
    await lifecycle.stop()
    expect(calls).toEqual([])
  })

  test('state goes idle → starting → running → stopping → stopped', async () => {
    const lifecycle = quiet()
    const states: string[] = [lifecycle.state]
    lifecycle.register({
      name: 'c',
      start: () => void states.push(lifecycle.state),
      stop: () => void states.push(lifecycle.state),
    })
    const started = lifecycle.start()
    await started
    states.push(lifecycle.state)
    await lifecycle.stop()
    states.push(lifecycle.state)
    expect(states).toEqual(['idle', 'starting', 'running', 'stopping', 'stopped'])
  })
})
