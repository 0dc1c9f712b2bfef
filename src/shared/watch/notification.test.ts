import { describe, expect, it } from 'vitest'
import type { ChangeEvent } from '../changes/types'
import { matchLine, notificationText } from './notification'

const price = (modelId: string, from: string, to: string): ChangeEvent => ({
  key: `s/${modelId}/price/prompt`,
  kind: 'price',
  at: '2026-08-19T00:00:00Z',
  snapshotId: 's',
  previousId: 'p',
  source: 'all',
  region: 'global',
  profile: 'default',
  modelId,
  name: `Name of ${modelId}`,
  author: modelId.split('/')[0]!,
  field: 'prompt',
  from,
  to,
  percent: 100,
})

describe('notificationText', () => {
  it('names the rule and the one change', () => {
    expect(notificationText('Claude prices', [price('anthropic/a', '0.000001', '0.000002')])).toEqual({
      title: 'Claude prices (1 change)',
      body: 'Name of anthropic/a: prompt $1.00 → $2.00 / 1M tokens (+100.0%)',
    })
  })

  it('names three changes and counts the rest', () => {
    const events = ['a', 'b', 'c', 'd', 'e'].map((id) => price(`x/${id}`, '0.000001', '0.000002'))
    const { title, body } = notificationText('Prices', events)
    expect(title).toBe('Prices (5 changes)')
    expect(body.split('\n')).toEqual([
      expect.stringMatching(/^Name of x\/a: /),
      expect.stringMatching(/^Name of x\/b: /),
      expect.stringMatching(/^Name of x\/c: /),
      'and 2 more',
    ])
  })

  it('a CLI line is the id and the change', () => {
    expect(matchLine(price('anthropic/a', '0.000003', '0.0000033'))).toBe(
      'anthropic/a  prompt $3.00 → $3.30 / 1M tokens (+100.0%)',
    )
  })
})
