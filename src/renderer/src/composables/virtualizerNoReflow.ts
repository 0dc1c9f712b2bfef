import { elementScroll, type Virtualizer, type VirtualizerOptions } from '@tanstack/vue-virtual'

/**
 * Two of the virtualiser's defaults each force a synchronous layout of the whole, still row-less
 * view when the table mounts, and the rows then need a layout of their own: on a cold start that
 * was the largest single cost before the first rows appeared. These replacements do the same job
 * without reading or writing layout during the mount.
 */

type Rect = { width: number; height: number }
type ScrollToFn = VirtualizerOptions<HTMLElement, Element>['scrollToFn']

/**
 * The size watcher, minus the library's first synchronous read. The first size comes from the
 * ResizeObserver, which reports after the browser's own layout and before paint; until then the
 * virtualiser's `initialRect` stands in.
 */
export function observeRectAfterLayout(
  instance: Virtualizer<HTMLElement, Element>,
  cb: (rect: Rect) => void,
): (() => void) | undefined {
  const element = instance.scrollElement
  if (!element) return undefined
  // clientWidth/Height, as the library reads them: inside an observer callback layout is clean.
  const observer = new ResizeObserver(() => cb({ width: element.clientWidth, height: element.clientHeight }))
  observer.observe(element, { box: 'content-box' })
  return () => observer.disconnect()
}

/**
 * The library's scroll writer, minus its first write when that is "scroll to the top": on mount it
 * scrolls to its initial offset, a new scroller is already there, and the write would force a layout.
 */
export function scrollToSkippingMountWrite(): ScrollToFn {
  let first = true
  return (offset, options, instance) => {
    const skip = first && offset === 0 && !options.adjustments
    first = false
    if (!skip) elementScroll(offset, options, instance)
  }
}
