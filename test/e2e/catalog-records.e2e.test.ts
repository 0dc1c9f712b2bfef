import { expect } from 'vitest'
import { recordedModels } from '../fake-openrouter/server'
import { appTest } from './fixture'
import type { RawModel } from '../../src/shared/model/raw'

/** A real model with default parameters: the part of a record catalog:get leaves in main. */
const MODEL = recordedModels().find(
  (m) =>
    typeof m.default_parameters === 'object' &&
    m.default_parameters !== null &&
    Object.values(m.default_parameters).some((v) => typeof v === 'number'),
) as RawModel & { default_parameters: Record<string, unknown> }

const it = appTest({
  name: 'catalog-records',
  seed: async ({ harness }) => {
    const outcome = await harness.services.catalog.refresh({})
    expect(outcome.results.every((r) => r.ok)).toBe(true)
  },
})

it('the table gets each record without its detail-only parts; the detail pane shows them all', async ({
  harness,
  openPage,
}) => {
  const { page, errors } = await openPage('')
  await page.waitForSelector('[data-testid="catalog-row"]')
  const get = harness.ipcLog.find((e) => e.channel === 'catalog:get')
  const sent = (get?.result as { ok: true; data: { all: { models: RawModel[] } } }).data.all.models
  expect(sent.find((m) => m.id === MODEL.id)).not.toHaveProperty('default_parameters')

  await page.fill('[data-testid="catalog-search"]', MODEL.id)
  await page.click(`[data-testid="catalog-row"][data-model-id="${MODEL.id}"]`)
  const defaults = page.locator('[data-testid="catalog-detail"] [aria-labelledby="defaults-title"]')
  const [firstKey] = Object.keys(MODEL.default_parameters)
  await expect.poll(() => defaults.textContent()).toContain(firstKey)
  for (const [key, value] of Object.entries(MODEL.default_parameters)) {
    if (value === null) continue
    expect(await defaults.textContent()).toContain(key)
    expect(await defaults.textContent()).toContain(String(value))
  }
  expect(harness.ipcLog.some((e) => e.channel === 'catalog:get-records')).toBe(true)
  expect(errors).toEqual([])
})
