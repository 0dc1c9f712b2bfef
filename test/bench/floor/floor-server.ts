import { createServer } from 'node:http'
import type { RawModel } from '../../../src/shared/model/raw'
import { floorHtml } from './floor-page'

export interface FloorServer {
  url: string
  close(): Promise<void>
}

/**
 * The floor page and its `/models` body on 127.0.0.1, uncompressed like the harness: the same
 * transport for both pages, so neither is favoured by how its bytes arrive.
 */
export async function startFloorServer(models: readonly RawModel[]): Promise<FloorServer> {
  const body = JSON.stringify({ data: models })
  const html = floorHtml()
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname
    if (path === '/') {
      res.setHeader('content-type', 'text/html; charset=utf-8')
      res.end(html)
    } else if (path === '/api/v1/models') {
      res.setHeader('content-type', 'application/json')
      res.end(body)
    } else {
      res.statusCode = 404
      res.end()
    }
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : 0
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.closeAllConnections()
      await new Promise<void>((r) => server.close(() => r()))
    },
  }
}
