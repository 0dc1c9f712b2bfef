import { ipcMain as electronIpcMain, type IpcMain, type IpcMainInvokeEvent } from 'electron'
import { channels } from '../../shared/ipc/channels'
import { dispatch, type Handlers } from './dispatch'
import { log } from '../log'

export type SenderCheck = (event: IpcMainInvokeEvent) => boolean

/**
 * The only caller of ipcMain.handle. Every message is checked for its sender (the main frame of
 * our own window, at our own origin) before its payload is validated and a service runs.
 */
export function registerIpc(
  handlers: Handlers,
  isTrustedSender: SenderCheck,
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'> = electronIpcMain,
): () => void {
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, payload: unknown) => {
      if (!isTrustedSender(event)) {
        log.warn(`Refused ${channel} from an untrusted sender`)
        return {
          ok: false,
          error: { code: 'forbidden-sender', message: 'This request did not come from Model Deck.' },
        }
      }
      return dispatch(channel, payload, handlers)
    })
  }
  return () => {
    for (const channel of channels) ipcMain.removeHandler(channel)
  }
}

/**
 * A sender is trusted when it is the main frame of the given web contents and its URL is at one of
 * our origins. `senderFrame` can be null (the frame navigated or was destroyed) and is then refused.
 */
export function createSenderCheck(opts: {
  webContentsId: () => number | null
  allowedOrigins: string[]
}): SenderCheck {
  return (event) => {
    const frame = event.senderFrame
    if (!frame) return false
    if (event.sender.id !== opts.webContentsId()) return false
    if (frame !== event.sender.mainFrame) return false
    let origin: string
    try {
      const url = new URL(frame.url)
      origin = url.protocol === 'app:' ? `app://${url.host}` : url.origin
    } catch {
      return false
    }
    return opts.allowedOrigins.includes(origin)
  }
}
