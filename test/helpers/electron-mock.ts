/**
 * The one stand-in for Electron, shared by every test of the glue (the only part of the app that is
 * mocked): `vi.mock('electron', () => import('../helpers/electron-mock'))`. ipcMain records what is
 * registered, so a test can call a handler with a forged sender event.
 */
export type RegisteredHandler = (event: unknown, payload: unknown) => Promise<unknown>

export const registered = new Map<string, RegisteredHandler>()

export const ipcMain = {
  handle: (channel: string, fn: RegisteredHandler) => {
    registered.set(channel, fn)
  },
  removeHandler: (channel: string) => {
    registered.delete(channel)
  },
}
