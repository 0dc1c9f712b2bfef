/**
 * The floor: what the browser itself costs for the catalog screen's core job. No framework and no
 * build step: fetch the same OpenRouter `/models` body, `JSON.parse` it, keep six short fields per
 * record, paint only the rows in view of a fixed-height list, and filter on name and id as you type.
 * Model Deck is held against this page in the same run (floor-bench.ts), so its figures read as a
 * factor of the limit rather than as absolute times that move with the machine.
 *
 * It carries the app's test ids (catalog-search, catalog-count, catalog-table, catalog-row) so one
 * set of probes (page-probes.ts) measures both pages the same way.
 */
export const FLOOR_ROW_HEIGHT = 20

const script = String.raw`
const ROW = ${FLOOR_ROW_HEIGHT}
const search = document.getElementById('search')
const count = document.getElementById('count')
const scroller = document.getElementById('list')
const spacer = document.getElementById('spacer')
let all = []
let shown = []
const pool = []

function price(p) {
  const n = Number(p)
  return Number.isFinite(n) ? '$' + (n * 1e6).toFixed(2) : '-'
}

function rowElement() {
  const row = document.createElement('div')
  row.className = 'row'
  row.dataset.testid = 'catalog-row'
  for (let i = 0; i < 6; i++) row.appendChild(document.createElement('span'))
  spacer.appendChild(row)
  return row
}

function paint() {
  const first = Math.floor(scroller.scrollTop / ROW)
  const n = Math.min(shown.length - first, Math.ceil(scroller.clientHeight / ROW) + 1)
  for (let i = 0; i < Math.max(n, 0); i++) {
    const m = shown[first + i]
    const row = pool[i] || (pool[i] = rowElement())
    row.style.transform = 'translateY(' + (first + i) * ROW + 'px)'
    row.hidden = false
    const c = row.children
    c[0].textContent = m.name
    c[1].textContent = m.id
    c[2].textContent = m.context
    c[3].textContent = m.prompt
    c[4].textContent = m.completion
    c[5].textContent = m.created
  }
  for (let i = Math.max(n, 0); i < pool.length; i++) pool[i].hidden = true
}

function apply() {
  const q = search.value.trim().toLowerCase()
  shown = q ? all.filter((m) => m.key.includes(q)) : all
  count.textContent = shown.length + ' models'
  spacer.style.height = shown.length * ROW + 'px'
  scroller.scrollTop = 0
  paint()
}

search.addEventListener('input', apply)
scroller.addEventListener('scroll', paint, { passive: true })

fetch('/api/v1/models')
  .then((r) => r.text())
  .then((text) => {
    all = JSON.parse(text).data.map((m) => ({
      id: m.id,
      name: m.name,
      context: m.context_length ? m.context_length.toLocaleString('en') : '-',
      prompt: price(m.pricing && m.pricing.prompt),
      completion: price(m.pricing && m.pricing.completion),
      created: new Date(m.created * 1000).toISOString().slice(0, 10),
      key: (m.name + ' ' + m.id).toLowerCase(),
    }))
    apply()
  })
`

export function floorHtml(): string {
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="UTF-8" />
    <link rel="icon" href="data:," />
    <title>Floor</title>
    <style>
      body { margin: 0; font: 13px system-ui, sans-serif; }
      header { height: 40px; display: flex; gap: 12px; align-items: center; padding: 0 8px; }
      #list { position: absolute; top: 40px; bottom: 0; left: 0; right: 0; overflow-y: auto; }
      #spacer { position: relative; }
      .row { position: absolute; left: 0; right: 0; height: ${FLOOR_ROW_HEIGHT}px; display: grid;
        grid-template-columns: 3fr 3fr 1fr 1fr 1fr 1fr; white-space: nowrap; overflow: hidden; }
      .row span { overflow: hidden; text-overflow: ellipsis; padding: 0 4px; }
    </style>
  </head>
  <body>
    <header>
      <input id="search" data-testid="catalog-search" placeholder="Search name or id" />
      <span id="count" data-testid="catalog-count"></span>
    </header>
    <div id="list" data-testid="catalog-table"><div id="spacer"></div></div>
    <script>${script}</script>
  </body>
</html>
`
}
