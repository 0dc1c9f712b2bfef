import { shallowRef, type Component, type ShallowRef } from 'vue'

/**
 * A component whose code is fetched on demand, off the first screen. Unlike defineAsyncComponent, it
 * renders in the same tick once `load()` has resolved, so a panel that opens after awaiting it can
 * move focus into its content at once.
 */
export function useLazyComponent(loader: () => Promise<{ default: Component }>): {
  component: ShallowRef<Component | null>
  load: () => Promise<Component>
} {
  const component = shallowRef<Component | null>(null)
  let pending: Promise<Component> | null = null
  function load(): Promise<Component> {
    pending ??= loader().then(
      (module) => (component.value = module.default),
      (err: unknown) => {
        // A failed fetch may be tried again on the next opening.
        pending = null
        throw err
      },
    )
    return pending
  }
  return { component, load }
}
