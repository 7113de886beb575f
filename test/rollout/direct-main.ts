import { direct, directLine } from './direct.js'

const runs = Number(process.env.RUNS ?? 3)
const delay = Number(process.env.DELAY ?? 1000)
for (let i = 0; i < runs; i++) {
  const r = await direct('graceful', {
    drainDelayMs: delay,
    mixedLoops: Number(process.env.MIXED ?? 44),
    idleLoops: Number(process.env.IDLE ?? 3),
    idlePauseMs: Number(process.env.IDLE_MS ?? 600),
    slowLoops: Number(process.env.SLOW ?? 3),
    slowMs: 1500,
    warmMs: 1500,
  })
  console.log(directLine(r))
  for (const o of r.lost.slice(0, 5)) console.log('   ', JSON.stringify(o))
}
