import { AppError } from '../../shared/ipc/result'
import type { ExportOutcome } from '../../shared/app-types'
import type { SnapshotStore } from './snapshots/snapshot-store'
import type { Dialogs } from '../dialogs'
import type { SettingsService } from './settings'
import type { z } from 'zod'
import type { exportRequestSchema } from '../../shared/ipc/contract'

export type ExportRequest = z.output<typeof exportRequestSchema>

/** Placeholder until the exporter lands: refuses with a clear message rather than pretending. */
export function createExportService(_deps: { store: SnapshotStore; dialogs: Dialogs; settings: SettingsService }) {
  return {
    async save(_request: ExportRequest): Promise<ExportOutcome> {
      throw new AppError('internal', 'Export is not available in this build yet.')
    },
  }
}
export type ExportService = ReturnType<typeof createExportService>
