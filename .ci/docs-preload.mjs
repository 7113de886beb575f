// Preloaded by check-docs.ts into the programs it runs.
import net from 'node:net'

// Every listen() on a fixed port listens on port 0 instead: a sample's `server.listen(3000)` must
// not collide with another process on the machine.
const listen = net.Server.prototype.listen
net.Server.prototype.listen = function (...args) {
  if (typeof args[0] === 'number') args[0] = 0
  else if (args[0] && typeof args[0] === 'object' && typeof args[0].port === 'number')
    args[0] = { ...args[0], port: 0 }
  return listen.apply(this, args)
}

// Tell the checker once the program listens for SIGTERM (`handleSignals()`), so that the signal it
// sends tests the program's stop rather than Node's default of dying.
const poll = setInterval(() => {
  if (process.listenerCount('SIGTERM') > 0) {
    clearInterval(poll)
    process.stderr.write('docs-check: SIGTERM handled\n')
  }
}, 10)
poll.unref()
