import { inflateRawSync } from 'node:zlib'

/**
 * An .xlsx read without exceljs, so a fault in its writer cannot hide behind the same library's
 * reader: the zip's central directory walked by hand, each entry inflated with node's zlib.
 */
export function unzipEntries(zip: Buffer): Map<string, string> {
  let eocd = zip.length - 22
  while (eocd >= 0 && zip.readUInt32LE(eocd) !== 0x06054b50) eocd--
  if (eocd < 0) throw new Error('not a zip: no end-of-central-directory record')
  const count = zip.readUInt16LE(eocd + 10)
  let at = zip.readUInt32LE(eocd + 16)
  const entries = new Map<string, string>()
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry ${i}`)
    const method = zip.readUInt16LE(at + 10)
    const size = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const skip = nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32)
    const local = zip.readUInt32LE(at + 42)
    const name = zip.toString('utf8', at + 46, at + 46 + nameLength)
    at += 46 + skip
    if (zip.readUInt32LE(local) !== 0x04034b50) throw new Error(`bad local header for ${name}`)
    const start = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    const data = zip.subarray(start, start + size)
    if (method !== 0 && method !== 8) throw new Error(`${name}: unknown compression ${method}`)
    entries.set(name, (method === 8 ? inflateRawSync(data) : data).toString('utf8'))
  }
  return entries
}

const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u
const NAME = /^[A-Za-z_][\w.:-]*$/
const ATTRIBUTE = /\s+([A-Za-z_][\w.:-]*)\s*=\s*("[^"<]*"|'[^'<]*')/y
const REFERENCE = /&(?:(amp|lt|gt|quot|apos)|#(\d+)|#x([0-9a-fA-F]+));/y

function checkReferences(text: string, where: string): void {
  for (let i = text.indexOf('&'); i !== -1; i = text.indexOf('&', i + 1)) {
    REFERENCE.lastIndex = i
    const m = REFERENCE.exec(text)
    if (!m) throw new Error(`${where}: bad & at "${text.slice(i, i + 12)}"`)
    const code = m[2] ? Number(m[2]) : m[3] ? parseInt(m[3], 16) : null
    if (code !== null && (code > 0x10ffff || XML_INVALID.test(String.fromCodePoint(code))))
      throw new Error(`${where}: reference to a character XML forbids (${m[0]})`)
  }
}

/**
 * A strict well-formedness check, as an XML 1.0 parser would make it: every character allowed,
 * every reference known and to an allowed character, tags balanced, attributes quoted and not
 * repeated, one root. Throws with the place of the first fault.
 */
export function assertStrictXml(xml: string, what = 'xml'): void {
  const bad = XML_INVALID.exec(xml)
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')
    throw new Error(`${what}: character U+${code} at ${bad.index} is not allowed in XML`)
  }
  const body = xml.replace(/^\uFEFF?<\?xml[^?]*\?>/, '')
  const open: string[] = []
  let roots = 0
  for (const m of body.matchAll(/<[^>]*>|[^<]+/g)) {
    const token = m[0]
    const where = `${what} at ${m.index}`
    if (!token.startsWith('<')) {
      if (open.length === 0 && token.trim()) throw new Error(`${where}: text outside the root`)
      if (token.includes(']]>')) throw new Error(`${where}: "]]>" in text`)
      checkReferences(token, where)
      continue
    }
    if (token.startsWith('<!--') || token.startsWith('<?')) continue
    if (token.startsWith('</')) {
      const name = token.slice(2, -1).trim()
      if (open.pop() !== name) throw new Error(`${where}: </${name}> closes nothing open`)
      continue
    }
    const selfClosing = token.endsWith('/>')
    const inner = token.slice(1, selfClosing ? -2 : -1)
    const name = /^[^\s]+/.exec(inner)?.[0] ?? ''
    if (!NAME.test(name)) throw new Error(`${where}: bad tag name "${name}"`)
    const seen = new Set<string>()
    const attributes = inner.slice(name.length)
    let read = 0
    for (;;) {
      ATTRIBUTE.lastIndex = read
      const a = ATTRIBUTE.exec(attributes)
      if (!a) break
      read = ATTRIBUTE.lastIndex
      if (seen.has(a[1]!)) throw new Error(`${where}: attribute ${a[1]} twice`)
      seen.add(a[1]!)
      checkReferences(a[2]!, where)
    }
    const rest = attributes.slice(read)
    if (rest.trim()) throw new Error(`${where}: cannot read "${rest.trim().slice(0, 30)}" in <${name}>`)
    if (open.length === 0 && ++roots > 1) throw new Error(`${where}: a second root element`)
    if (!selfClosing) open.push(name)
  }
  if (open.length > 0) throw new Error(`${what}: <${open.at(-1)}> is never closed`)
  if (roots !== 1) throw new Error(`${what}: no root element`)
}

/** The worksheets of a workbook, in order, as raw XML, each checked strictly first. */
export function strictSheets(xlsx: Buffer): string[] {
  const entries = unzipEntries(xlsx)
  for (const [name, text] of entries) if (/\.(xml|rels)$/.test(name)) assertStrictXml(text, name)
  return [...entries.keys()]
    .filter((n) => /^xl\/worksheets\/sheet\d+\.xml$/.test(n))
    .sort((a, b) => Number(/\d+/.exec(a)![0]) - Number(/\d+/.exec(b)![0]))
    .map((n) => entries.get(n)!)
}
