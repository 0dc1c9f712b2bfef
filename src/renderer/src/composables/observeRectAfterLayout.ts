import type { Virtualizer } from '@tanstack/vue-virtual'

type Rect = { width: number; height: number }

/**
 * The virtualiser's size watcher without the library's synchronous first read: on mount that read
 * forces a layout of the whole, still row-less view, and the rows then need a layout of their own.
 * Here the first size comes from the ResizeObserver, which reports after the browser's own layout
 * and before paint; until then the virtualiser's `initialRect` stands in.
 */
export function observeRectAfterLayout(
  instance: Virtualizer<HTMLElement, Element>,
  cb: (rect: Rect) => void,
): (() => void) | undefined {
  const element = instance.scrollElement
  if (!element) return undefined
  // clientWidth/Height, as the library reads them: no forced layout inside an observer callback.
  const observer = new ResizeObserver(() => cb({ width: element.clientWidth, height: element.clientHeight }))
  observer.observe(element, { box: 'content-box' })
  return () => observer.disconnect()
}
