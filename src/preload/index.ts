import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron'
import { buildApi, EARLY_CHANNELS } from '../shared/ipc/bridge'
import { events } from '../shared/ipc/channels'

// The window must run isolated and sandboxed; if someone weakens the options, fail loudly here.
if (!process.contextIsolated) throw new Error('Model Deck requires contextIsolation')
if (!process.sandboxed) throw new Error('Model Deck requires the renderer sandbox')

const api = buildApi(
  (channel, input) => ipcRenderer.invoke(channel, input),
  (event, listener) => {
    if (!(events as readonly string[]).includes(event)) throw new Error(`Unknown event ${event}`)
    // Only the payload crosses: the IpcRendererEvent (and its `sender`) never reaches the page.
    const wrapped = (_e: IpcRendererEvent, payload: unknown) => listener(payload)
    ipcRenderer.on(event, wrapped)
    return () => ipcRenderer.removeListener(event, wrapped)
  },
  { early: EARLY_CHANNELS },
)

contextBridge.exposeInMainWorld('api', api)
