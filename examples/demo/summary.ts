/**
 * The one line the demo prints after a stop: counts it checked itself — the server's requests,
 * the database's rows, the queue's items — rather than a sentence it always prints.
 */
import type { Audit } from './database.js'
import type { QueueCounts } from './queue.js'

export interface Counters {
  accepted: number
  answered: number
  /** Requests whose client hung up before the stop began, before they were answered. */
  clientGone: number
  /** Order transactions begun and not yet committed or rolled back. */
  transactions: number
  /** Orders the API answered 201 for. */
  placed: number
}

export function newCounters(): Counters {
  return { accepted: 0, answered: 0, clientGone: 0, transactions: 0, placed: 0 }
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

/** After a stop that ran to its end: every count, and whether they add up. */
export function checked(counters: Counters, audit: Audit, queue: QueueCounts, code: number): string {
  // Every item is processed or still waiting; the database must agree with the queue.
  const lost = queue.earlier + queue.enqueued - queue.processed - queue.handedBack
  const mismatch = [
    counters.accepted !== counters.answered + counters.clientGone &&
      `${counters.accepted - counters.answered - counters.clientGone} unanswered`,
    audit.committed !== counters.placed &&
      `${counters.placed} orders confirmed but ${audit.committed} in the database`,
    queue.resumesFromDatabase &&
      audit.unshipped !== queue.handedBack &&
      `${queue.handedBack} handed back but ${audit.unshipped} orders unshipped in the database`,
  ].filter(Boolean)
  return [
    `demo: checked: requests: ${counters.accepted} accepted, ${counters.answered} answered${
      counters.clientGone > 0 ? ` (${counters.clientGone} clients hung up first)` : ''
    }`,
    `orders: ${audit.committed} committed, ${audit.halfWritten} half-written`,
    `queue: ${queue.processed} processed, ${queue.handedBack} handed back (still placed), ${lost} lost`,
    ...(mismatch.length > 0 ? [`MISMATCH: ${mismatch.join(', ')}`] : []),
    `exit code ${code}`,
  ].join(' · ')
}

/** After a forced stop: what the second Ctrl+C cut short. */
export function cut(counters: Counters, queue: QueueCounts, code: number): string {
  return [
    `demo: forced: cut ${plural(counters.accepted - counters.answered, 'request')} (never answered)`,
    `${plural(counters.transactions, 'order transaction')} (rolled back, not half-written)`,
    `${plural(queue.inFlight, 'shipment')} (still placed, shipped at the next start)`,
    `exit code ${code}`,
  ].join(' · ')
}
