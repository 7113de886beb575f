import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import pg from 'pg'
import { afterAll, expect, test } from 'vitest'
import { run } from '../examples/child.js'
import { delay, fetchOnce } from '../examples/http-client.js'

const AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672'
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test'
const queue = `gl-demo-${randomUUID()}`
const tables = `gl_demo_${randomUUID().replaceAll('-', '')}`
afterAll(async () => {
  const admin = new pg.Client({ connectionString: DATABASE_URL })
  await admin.connect()
  await admin.query(`DROP TABLE IF EXISTS ${tables}_order_lines, ${tables}_orders`)
  await admin.end()
  const connection = await amqp.connect(AMQP_URL)
  const channel = await connection.createChannel()
  await channel.deleteQueue(queue)
  await connection.close()
})

test('the demo on PostgreSQL and RabbitMQ: SIGINT under load, counts that add up, exit 0', async () => {
  const demo = run('examples/demo/index.ts', {
    env: {
      DATABASE_URL,
      DEMO_TABLES: tables,
      AMQP_URL,
      DEMO_QUEUE: queue,
      DRAIN_DELAY: '200',
    },
  })
  const port = await demo.port(60_000)
  expect(demo.stdout()).toMatch(/orders in PostgreSQL at 127\.0\.0\.1:5432, shipping through RabbitMQ queue/)
  let created = 0
  for (let i = 0; i < 20; i++) {
    const outcome = await fetchOnce(port, '/orders', 'POST')
    if (outcome.kind === 'response' && outcome.status === 201) created++
  }
  await delay(300)
  demo.kill('SIGINT')
  expect(await demo.exit(60_000)).toEqual({ code: 0, signal: null })
  const line = await demo.line(/^demo: checked:/)
  expect(created).toBe(20)
  expect(line).toMatch(
    /requests: 20 accepted, 20 answered · orders: 20 committed, 0 half-written · queue: \d+ processed, \d+ handed back \(still placed\), 0 lost · exit code 0$/,
  )
  expect(demo.stdout()).toMatch(/amqp +ok/)
})
