import { onBeforeUnmount, watch, type Ref } from 'vue'

/**
 * Calls `onOutside` for a press anywhere outside `root` while `active` is true. It listens in the capture phase
 * so a child that stops propagation cannot keep a popover open, and only while active so closed popovers cost
 * nothing.
 */
export function useClickOutside(
  root: Ref<HTMLElement | null>,
  active: Ref<boolean>,
  onOutside: () => void,
): void {
  function onPointerDown(event: PointerEvent): void {
    if (root.value && !root.value.contains(event.target as Node)) onOutside()
  }
  function stop(): void {
    document.removeEventListener('pointerdown', onPointerDown, true)
  }
  watch(
    active,
    (on) => {
      if (on) document.addEventListener('pointerdown', onPointerDown, true)
      else stop()
    },
    { immediate: true },
  )
  onBeforeUnmount(stop)
}
