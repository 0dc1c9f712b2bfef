import { Notification, type BrowserWindow } from 'electron'
import type { Notifier } from './services/watch/watch-service'
import { log } from './log'

/**
 * Watch alerts as native desktop notifications. A click brings the window forward, then runs the
 * alert's own action (open the feed for its rule). Shown notifications are held until clicked or
 * closed: one that is garbage-collected loses its click handler on some platforms.
 */
export function createElectronNotifier(getWindow: () => BrowserWindow | null): Notifier {
  const shown = new Set<Notification>()
  return {
    show({ title, body, onClick }) {
      if (!Notification.isSupported()) {
        log.info(`Desktop notifications are not supported here; not shown: ${title}`)
        return
      }
      const n = new Notification({ title, body })
      shown.add(n)
      n.on('click', () => {
        shown.delete(n)
        const win = getWindow()
        if (win && !win.isDestroyed()) {
          if (win.isMinimized()) win.restore()
          win.show()
          win.focus()
        }
        onClick()
      })
      n.on('close', () => shown.delete(n))
      n.show()
    },
  }
}
