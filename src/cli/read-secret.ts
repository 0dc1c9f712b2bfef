import { UsageError } from './errors'

/** A key is well under 1 KiB; more than this on stdin is a wrong file or a runaway pipe. */
const MAX_SECRET_BYTES = 4 * 1024

function tooMuch(): UsageError {
  return new UsageError(
    `stdin holds more than ${MAX_SECRET_BYTES / 1024} KiB, which is not an API key; pipe in only the key, e.g. model-deck key set < key.txt`,
  )
}

/**
 * Reads the API key from stdin: piped input (at most MAX_SECRET_BYTES), or typed at a terminal
 * without echo. The key is never taken from the command line, where shell history and `ps` would
 * keep it.
 */
export async function readSecret(prompt: string, stdin: NodeJS.ReadStream = process.stdin): Promise<string> {
  if (!stdin.isTTY) {
    const chunks: Buffer[] = []
    let total = 0
    for await (const chunk of stdin) {
      const bytes = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk))
      total += bytes.length
      // Stop reading at once: the rest of a 10 GB pipe is never held, and the writer gets EPIPE.
      if (total > MAX_SECRET_BYTES) {
        stdin.destroy()
        throw tooMuch()
      }
      chunks.push(bytes)
    }
    return Buffer.concat(chunks).toString('utf8').trim()
  }
  process.stderr.write(prompt)
  stdin.setRawMode(true)
  stdin.resume()
  stdin.setEncoding('utf8')
  try {
    return await new Promise<string>((resolve, reject) => {
      let value = ''
      const onData = (text: string) => {
        for (const ch of text) {
          if (ch === '\r' || ch === '\n' || ch === '\u0004') {
            stdin.off('data', onData)
            resolve(value.trim())
            return
          }
          if (ch === '\u0003') {
            stdin.off('data', onData)
            reject(new Error('Cancelled.'))
            return
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1)
          else value += ch
          if (value.length > MAX_SECRET_BYTES) {
            stdin.off('data', onData)
            reject(tooMuch())
            return
          }
        }
      }
      stdin.on('data', onData)
    })
  } finally {
    stdin.setRawMode(false)
    stdin.pause()
    process.stderr.write('\n')
  }
}
