import { cellText, type Cell, type Sheet } from './sheet'

/**
 * Text from the API as literal Markdown text: it must never become a link, an image, emphasis, code
 * or HTML in any CommonMark/GFM renderer (a model named `![x](https://tracker)` would load a remote
 * image in a viewer; `[x](javascript:…)` would be a link). Backslash first, so an escape written in
 * the text cannot undo ours; `&` and `<` as entities, so neither an entity nor a tag can form;
 * GFM's bare autolinks (`https://`, `www.`, e-mail) are broken by escaping the character that makes
 * them. Every escape renders as the character itself, so a reader sees the text unchanged.
 */
function markdownText(text: string): string {
  return text
    .replace(/[\\`*_~[\]|]/g, '\\$&')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/:(?=\/\/)|(?<=mailto|xmpp):/gi, '\\:')
    .replace(/(www)\./gi, '$1\\.')
    .replace(/@/g, '\\@')
}

/** A cell must also stay on one line and inside its column: line breaks become <br>, pipes are escaped. */
export function markdownCell(cell: Cell): string {
  return markdownText(cellText(cell)).replace(/\r\n|\r|\n/g, '<br>')
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
  if (intro) parts.push(markdownText(intro))
  for (const section of sections) {
    if (sections.length > 1) parts.push(`## ${markdownCell(section.heading)}`)
    parts.push(section.sheet.rows.length > 0 ? markdownTable(section.sheet) : `_${section.empty}_`)
  }
  return `${parts.join('\n\n')}\n`
}
