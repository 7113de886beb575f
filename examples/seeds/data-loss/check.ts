/** Counts what the writer left in `<data dir>`: prints one JSON line of {@link Counts}. */
import { count, openStore } from './store.js'

const dir = process.argv[2]
if (dir === undefined) throw new TypeError('usage: check.ts <data dir>')
const db = await openStore(dir)
console.log(JSON.stringify(await count(db)))
await db.close()
