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

type NotificationHandler = () => void

/** Records every notification made and shown; `emit('click')` plays the user's click. */
export class Notification {
  static supported = true
  static made: Notification[] = []
  static isSupported(): boolean {
    return Notification.supported
  }
  readonly handlers = new Map<string, NotificationHandler[]>()
  shown = false
  constructor(readonly options: { title: string; body: string }) {
    Notification.made.push(this)
  }
  on(event: string, fn: NotificationHandler): this {
    this.handlers.set(event, [...(this.handlers.get(event) ?? []), fn])
    return this
  }
  show(): void {
    this.shown = true
  }
  emit(event: string): void {
    for (const fn of this.handlers.get(event) ?? []) fn()
  }
}
