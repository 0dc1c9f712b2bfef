import { describeChange } from '../changes/describe'
import type { ChangeEvent } from '../changes/types'
import type { Cell, Sheet, SheetColumn } from './sheet'

const column = (key: string, header: string, numeric = false): SheetColumn => ({ key, header, numeric })

/**
 * The change feed as one table, newest first as given: one row per event, values as the API sent
 * them (prices stay exact per-unit strings) beside a readable summary.
 */
export function changesSheet(events: readonly ChangeEvent[]): Sheet {
  return {
    title: 'Changes',
    columns: [
      column('at', 'Date'),
      column('kind', 'Kind'),
      column('id', 'ID'),
      column('name', 'Name'),
      column('author', 'Author'),
      column('source', 'Source'),
      column('region', 'Region'),
      column('field', 'Field'),
      column('from', 'From'),
      column('to', 'To'),
      column('percent', 'Change %', true),
      column('gained', 'Gained'),
      column('lost', 'Lost'),
      column('summary', 'Summary'),
      column('snapshot', 'Snapshot'),
    ],
    rows: events.map((e): Cell[] => [
      e.at,
      e.kind,
      e.modelId,
      e.name,
      e.author,
      e.source,
      e.region,
      e.field ?? null,
      e.from ?? null,
      e.to ?? null,
      e.percent ?? null,
      e.gained?.length ? e.gained.join(', ') : null,
      e.lost?.length ? e.lost.join(', ') : null,
      describeChange(e),
      e.snapshotId,
    ]),
  }
}
