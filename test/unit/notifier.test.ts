import { beforeEach, describe, expect, it, vi } from 'vitest'
import type { BrowserWindow } from 'electron'

// Electron itself is the one thing mocked (test/helpers/electron-mock.ts).
vi.mock('electron', () => import('../helpers/electron-mock'))
const { Notification } = await import('../helpers/electron-mock')
const { createElectronNotifier } = await import('../../src/main/notifier')

function fakeWindow(minimized = false) {
  const calls: string[] = []
  const win = {
    isDestroyed: () => false,
    isMinimized: () => minimized,
    restore: () => calls.push('restore'),
    show: () => calls.push('show'),
    focus: () => calls.push('focus'),
  }
  return { win: win as unknown as BrowserWindow, calls }
}

describe('createElectronNotifier', () => {
  beforeEach(() => {
    Notification.made = []
    Notification.supported = true
  })

  it('shows a native notification with the title and body', () => {
    const { win } = fakeWindow()
    createElectronNotifier(() => win).show({
      title: 'Cheap tools (2 changes)',
      body: 'a\nb',
      onClick: () => {},
    })
    expect(Notification.made).toHaveLength(1)
    expect(Notification.made[0]!.options).toEqual({ title: 'Cheap tools (2 changes)', body: 'a\nb' })
    expect(Notification.made[0]!.shown).toBe(true)
  })

  it('on a click brings a minimised window forward, then runs the action', () => {
    const { win, calls } = fakeWindow(true)
    createElectronNotifier(() => win).show({ title: 't', body: 'b', onClick: () => calls.push('navigate') })
    expect(calls).toEqual([])
    Notification.made[0]!.emit('click')
    expect(calls).toEqual(['restore', 'show', 'focus', 'navigate'])
  })

  it('still runs the action when the window is gone', () => {
    const clicked: string[] = []
    createElectronNotifier(() => null).show({
      title: 't',
      body: 'b',
      onClick: () => clicked.push('navigate'),
    })
    Notification.made[0]!.emit('click')
    expect(clicked).toEqual(['navigate'])
  })

  it('shows nothing, and does not throw, where notifications are not supported', () => {
    Notification.supported = false
    createElectronNotifier(() => null).show({ title: 't', body: 'b', onClick: () => {} })
    expect(Notification.made).toHaveLength(0)
  })
})
