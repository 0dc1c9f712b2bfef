import { describe, expect, it } from 'vitest'
import { join } from 'node:path'
import { defaultDataDir } from './data-dir'

describe('defaultDataDir: where Electron keeps userData for "Model Deck"', () => {
  it.each<[NodeJS.Platform, Record<string, string>, string]>([
    ['linux', {}, join('/home/ada', '.config', 'Model Deck')],
    ['linux', { XDG_CONFIG_HOME: '/cfg' }, join('/cfg', 'Model Deck')],
    ['linux', { XDG_CONFIG_HOME: '' }, join('/home/ada', '.config', 'Model Deck')],
    ['freebsd', {}, join('/home/ada', '.config', 'Model Deck')],
    [
      'darwin',
      { XDG_CONFIG_HOME: '/ignored' },
      join('/home/ada', 'Library', 'Application Support', 'Model Deck'),
    ],
    [
      'win32',
      { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming' },
      join('C:\\Users\\ada\\AppData\\Roaming', 'Model Deck'),
    ],
    ['win32', {}, join('/home/ada', 'AppData', 'Roaming', 'Model Deck')],
  ])('%s %j', (platform, env, expected) => {
    expect(defaultDataDir(platform, env, '/home/ada')).toBe(expected)
  })
})
