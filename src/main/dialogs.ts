import type { BrowserWindow, Dialog } from 'electron'

/**
 * Paths only ever come from native dialogs that main opens; the renderer never sends one. Tests
 * and the browser harness swap this for a function returning a chosen temp path.
 */
export interface Dialogs {
  chooseSavePath(opts: {
    defaultName: string
    filters: { name: string; extensions: string[] }[]
  }): Promise<string | null>
  chooseOpenPath(opts: { filters: { name: string; extensions: string[] }[] }): Promise<string | null>
}

export function createElectronDialogs(dialog: Dialog, getWindow: () => BrowserWindow | null): Dialogs {
  return {
    async chooseSavePath({ defaultName, filters }) {
      const win = getWindow()
      const opts = { defaultPath: defaultName, filters }
      const res = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts)
      return res.canceled || !res.filePath ? null : res.filePath
    },
    async chooseOpenPath({ filters }) {
      const win = getWindow()
      const opts = { filters, properties: ['openFile' as const] }
      const res = win ? await dialog.showOpenDialog(win, opts) : await dialog.showOpenDialog(opts)
      return res.canceled ? null : (res.filePaths[0] ?? null)
    },
  }
}
