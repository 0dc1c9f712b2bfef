import { createHash } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { FuseState } from '@electron/fuses'
import { makeZip } from './zip'

/**
 * A stand-in for the Electron binary, for machines that cannot download the real one. It is a
 * shell script that writes what it was started with (argv, cwd, the names of its environment) to
 * $MODEL_DECK_STANDIN_LOG and exits 0. After `exit 0` it carries the fuse sentinel and a fuse wire
 * in Electron's default states, so electron-builder can flip the fuses exactly as in the real binary.
 */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX'
/** Electron 45's fuse defaults: every fuse our config sets starts in the opposite state. */
export const ELECTRON_DEFAULT_WIRE = [
  FuseState.ENABLE, // RunAsNode
  FuseState.DISABLE, // EnableCookieEncryption
  FuseState.ENABLE, // EnableNodeOptionsEnvironmentVariable
  FuseState.ENABLE, // EnableNodeCliInspectArguments
  FuseState.DISABLE, // EnableEmbeddedAsarIntegrityValidation
  FuseState.DISABLE, // OnlyLoadAppFromAsar
  FuseState.DISABLE, // LoadBrowserProcessSpecificV8Snapshot
  FuseState.ENABLE, // GrantFileProtocolExtraPrivileges
  FuseState.ENABLE, // WasmTrapHandlers
]

const SCRIPT = `#!/bin/sh
# Model Deck stand-in Electron
log="\${MODEL_DECK_STANDIN_LOG:-/dev/null}"
{
  printf 'argv'; for a in "$@"; do printf '\\t%s' "$a"; done; printf '\\n'
  printf 'cwd\\t%s\\n' "$(pwd)"
  env | sed -n 's/^\\([A-Za-z_][A-Za-z0-9_]*\\)=.*/env\\t\\1/p'
} > "$log"
exit 0
`

export function standInElectronBinary(): Buffer {
  const wire = Buffer.from([1, ELECTRON_DEFAULT_WIRE.length, ...ELECTRON_DEFAULT_WIRE])
  return Buffer.concat([
    Buffer.from(SCRIPT),
    Buffer.alloc(256),
    Buffer.from(FUSE_SENTINEL),
    wire,
    Buffer.alloc(256),
  ])
}

export interface StandInLaunch {
  argv: string[]
  cwd: string
  envNames: string[]
}

export function parseStandInLog(text: string): StandInLaunch {
  const launch: StandInLaunch = { argv: [], cwd: '', envNames: [] }
  for (const line of text.split('\n')) {
    const [kind, ...rest] = line.split('\t')
    if (kind === 'argv') launch.argv = rest
    else if (kind === 'cwd') launch.cwd = rest.join('\t')
    else if (kind === 'env' && rest[0]) launch.envNames.push(rest[0])
  }
  return launch
}

export type MirrorMode = 'ok' | 'not-found' | 'bad-checksum'

export interface ElectronMirror {
  url: string
  /** Paths asked for, in order. */
  requests: string[]
  mode: MirrorMode
  close(): Promise<void>
}

/**
 * Plays Electron's download mirror on loopback (what ELECTRON_MIRROR points at): SHASUMS256.txt and
 * the release zip of one version and platform, with the stand-in binary inside.
 */
export async function startElectronMirror(version: string, mode: MirrorMode = 'ok'): Promise<ElectronMirror> {
  const zipName = `electron-v${version}-${process.platform}-${process.arch}.zip`
  const zip = makeZip([
    { name: 'electron', data: standInElectronBinary(), mode: 0o755 },
    { name: 'version', data: Buffer.from(version) },
    { name: 'LICENSE', data: Buffer.from('stand-in for tests\n') },
  ])
  const sha = createHash('sha256').update(zip).digest('hex')
  const wrong = createHash('sha256').update('not the zip').digest('hex')
  const mirror: ElectronMirror = { url: '', requests: [], mode, close: async () => undefined }
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)
    mirror.requests.push(path)
    if (mirror.mode === 'not-found') return void res.writeHead(404).end('Not Found')
    if (path === `/v${version}/SHASUMS256.txt`) {
      return void res
        .writeHead(200, { 'content-type': 'text/plain' })
        .end(`${mirror.mode === 'bad-checksum' ? wrong : sha} *${zipName}\n`)
    }
    if (path === `/v${version}/${zipName}`) {
      return void res
        .writeHead(200, { 'content-type': 'application/zip', 'content-length': zip.length })
        .end(zip)
    }
    res.writeHead(404).end('Not Found')
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  mirror.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
  mirror.close = () => new Promise<void>((r) => server.close(() => r()))
  return mirror
}
