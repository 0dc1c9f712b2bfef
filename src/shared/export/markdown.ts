import { cellText, type Cell, type Sheet } from './sheet'

/**
 * A cell must stay on one line and inside its column: pipes are escaped, line breaks become <br>,
 * and a backslash is doubled first so an escaped pipe cannot be undone by text from the API. `<` is
 * an entity so a name from the API cannot open raw HTML in renderers that allow it.
 */
export function markdownCell(cell: Cell): string {
  return cellText(cell)
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/</g, '&lt;')
    .replace(/\r\n|\r|\n/g, '<br>')
}

/** A GitHub-flavoured table: header, alignment row (numbers right-aligned), one line per row. */
export function markdownTable(sheet: Sheet): string {
  const line = (cells: string[]) => `| ${cells.join(' | ')} |`
  return [
    line(sheet.columns.map((c) => markdownCell(c.header))),
    line(sheet.columns.map((c) => (c.numeric ? '---:' : '---'))),
    ...sheet.rows.map((row) => line(row.map(markdownCell))),
  ].join('\n')
}

export type MarkdownSection = { heading: string; sheet: Sheet; empty: string }

/** A titled document of sections; an empty section says so instead of printing a bare header. */
export function toMarkdown(title: string, sections: MarkdownSection[], intro?: string): string {
  const parts = [`# ${markdownCell(title)}`]
  if (intro) parts.push(intro)
  for (const section of sections) {
    if (sections.length > 1) parts.push(`## ${markdownCell(section.heading)}`)
    parts.push(section.sheet.rows.length > 0 ? markdownTable(section.sheet) : `_${section.empty}_`)
  }
  return `${parts.join('\n\n')}\n`
}
