import type { EventName } from '../../../src/shared/ipc/channels'
import type { EventPayloads } from '../../../src/shared/ipc/events'
import type { SnapshotStore } from '../../../src/main/services/snapshots/snapshot-store'
import { createChangeFeed } from '../../../src/main/services/changes/change-feed'
import { createStarsService } from '../../../src/main/services/stars'
import { createWatchService, type Notifier } from '../../../src/main/services/watch/watch-service'

export type Emitted = { event: EventName; payload: unknown }[]

/** Stands in for the desktop: every notification shown, with its click. */
export function recordingNotifier(): Notifier & {
  shown: { title: string; body: string }[]
  click(i: number): void
} {
  const shown: { title: string; body: string }[] = []
  const clicks: (() => void)[] = []
  return {
    shown,
    show: ({ title, body, onClick }) => {
      shown.push({ title, body })
      clicks.push(onClick)
    },
    click: (i) => clicks[i]!(),
  }
}

export function recordingEmit(): {
  emitted: Emitted
  emit: <E extends EventName>(event: E, payload: EventPayloads[E]) => void
} {
  const emitted: Emitted = []
  return { emitted, emit: (event, payload) => void emitted.push({ event, payload }) }
}

/** The real watch service on a real store, feed and stars in `dir`, as createAppServices builds them. */
export function watchOn(
  dir: string,
  store: SnapshotStore,
  opts: { now?: () => Date; profile?: string; notifier?: Notifier } = {},
) {
  const notifier = recordingNotifier()
  const { emitted, emit } = recordingEmit()
  const profile = opts.profile ?? 'default'
  const stars = createStarsService({ dataDir: dir, activeProfile: async () => profile, emit })
  const feed = createChangeFeed({ store, dataDir: dir })
  const watch = createWatchService({
    dataDir: dir,
    feed,
    starred: (p) => stars.starredSet(p),
    emit,
    notifier: opts.notifier ?? notifier,
    ...(opts.now ? { now: opts.now } : {}),
  })
  return { watch, stars, feed, notifier, emitted }
}
