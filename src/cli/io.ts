/**
 * Results go to stdout (so they can be piped), everything else to stderr. Progress is only drawn on
 * a terminal: a script reading stderr sees nothing but the one line of an error.
 */
export interface CliIo {
  out(text: string): void
  note(text: string): void
  progress(text: string): void
  done(): void
}

export function processIo(): CliIo {
  const tty = Boolean(process.stderr.isTTY)
  let drawn = false
  const clear = () => {
    if (drawn) process.stderr.write('\r\x1b[K')
    drawn = false
  }
  return {
    out: (text) => {
      process.stdout.write(text.endsWith('\n') ? text : `${text}\n`)
    },
    note: (text) => {
      clear()
      process.stderr.write(`${text}\n`)
    },
    progress: (text) => {
      if (!tty) return
      clear()
      process.stderr.write(text)
      drawn = true
    },
    done: clear,
  }
}

/** Left-aligned columns for terminal tables; the last column is not padded. */
export function formatTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(header), ...rows.map(line)].join('\n')
}
