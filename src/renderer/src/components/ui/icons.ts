// Every icon the app draws, in one place so a glyph is drawn the same everywhere. Paths are in a 24x24 box
// unless `viewBox` says otherwise; strokes use currentColor so an icon takes its text colour.
export interface IconDef {
  d: string
  viewBox?: string
  /** Stroke width; absent for glyphs that are only filled (the drag grip). */
  stroke?: number
  round?: boolean
  roundJoin?: boolean
  filled?: boolean
}

export const icons = {
  // Sidebar
  catalog: { d: 'M4 5h16M4 12h16M4 19h16', stroke: 1.8, round: true },
  compare: { d: 'M8 4v16M16 4v16M4 8h8M12 16h8', stroke: 1.8, round: true },
  snapshots: { d: 'M12 7v5l3 3M21 12a9 9 0 1 1-9-9 9 9 0 0 1 9 9z', stroke: 1.8, round: true },
  settings: {
    d: 'M12 15a3 3 0 1 0 0-6 3 3 0 0 0 0 6zM4 12h2M18 12h2M12 4v2M12 18v2',
    stroke: 1.8,
    round: true,
  },
  // Actions
  refresh: { d: 'M20 12a8 8 0 1 1-2.34-5.66M20 4v5h-5', stroke: 2, round: true, roundJoin: true },
  search: { d: 'M11 18a7 7 0 1 1 0-14 7 7 0 0 1 0 14zM20 20l-4-4', stroke: 2, round: true },
  import: { d: 'M12 4v11M7 10l5 5 5-5M5 20h14', stroke: 2 },
  export: { d: 'M12 15V4M7 9l5-5 5 5M5 20h14', stroke: 2 },
  diff: { d: 'M12 4v8M8 8h8M8 18h8', stroke: 2 },
  swap: { d: 'M4 8h14l-4-4M20 16H6l4 4', stroke: 2 },
  pin: { d: 'M9 3h6l-1 6 4 4H6l4-4-1-6zM12 13v8', stroke: 1.8 },
  star: {
    d: 'M12 3.5l2.6 5.3 5.9.9-4.3 4.1 1 5.8-5.2-2.8-5.2 2.8 1-5.8-4.3-4.1 5.9-.9z',
    stroke: 1.7,
    roundJoin: true,
  },
  edit: { d: 'M4 20h4L19 9l-4-4L4 16v4zM13 7l4 4', stroke: 1.8 },
  delete: { d: 'M4 7h16M9 7V4h6v3M6 7l1 13h10l1-13', stroke: 1.8 },
  chart: { d: 'M4 19h16M6 15l4-5 4 3 5-7', stroke: 2 },
  warning: { d: 'M12 3 2 21h20L12 3zM12 10v5M12 18v.5', stroke: 2 },
  key: { d: 'M4 15a4 4 0 1 0 8 0 4 4 0 1 0-8 0zM10.8 12.2 20 3M16 7l3 3M14 9l2 2', stroke: 1.8, round: true },
  // Two columns of three dots, drawn as arcs so the whole glyph is one path.
  grip: {
    viewBox: '0 0 12 16',
    filled: true,
    d: [3, 8, 13]
      .flatMap((cy) => [3, 9].map((cx) => `M${cx - 1.4} ${cy}a1.4 1.4 0 1 0 2.8 0 1.4 1.4 0 1 0-2.8 0z`))
      .join(''),
  },
} satisfies Record<string, IconDef>

export type IconName = keyof typeof icons
