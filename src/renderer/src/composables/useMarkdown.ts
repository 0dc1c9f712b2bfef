import { Marked } from 'marked'
import DOMPurify from 'dompurify'
import { resolveDescriptionLink } from '../../../shared/model/description-link'

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  )

// Raw HTML in a description is shown as the text it is: authors write things like
// "<instruction>{instruction}</instruction>" meaning the literal format, and hostile markup never
// reaches a parser. Images would load from anywhere, so they become their alt text.
const marked = new Marked({
  gfm: true,
  breaks: true,
  renderer: {
    html: ({ text, block }) => (block ? `<p>${escapeHtml(text)}</p>` : escapeHtml(text)),
    image: ({ text }) => escapeHtml(text),
  },
})

// A private instance, so the link rewriting below does not leak into other users of DOMPurify.
const purify = DOMPurify(window)
purify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName !== 'A') return
  const target = resolveDescriptionLink(node.getAttribute('href'))
  // A link that may not be followed keeps its text but stops being a link.
  if (target === null) node.removeAttribute('href')
  else {
    node.setAttribute('href', target)
    node.setAttribute('data-external', target)
    node.setAttribute('rel', 'noopener noreferrer')
    node.setAttribute('title', target)
  }
})

const ALLOWED_TAGS = [
  'a',
  'p',
  'br',
  'strong',
  'em',
  'b',
  'i',
  'code',
  'pre',
  'ul',
  'ol',
  'li',
  'blockquote',
  'h1',
  'h2',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
  'table',
  'thead',
  'tbody',
  'tr',
  'th',
  'td',
  'del',
  'sup',
  'sub',
]

/**
 * Model descriptions are Markdown written by third parties: rendered with marked (raw HTML escaped),
 * then sanitised to a small set of text tags as a second line of defence, with links made absolute
 * against openrouter.ai so the click handler can send them to the safe shell.
 */
export function renderMarkdown(text: string): string {
  const html = marked.parse(text, { async: false })
  return purify.sanitize(html, {
    ALLOWED_TAGS,
    ALLOWED_ATTR: ['href', 'title', 'rel', 'data-external'],
    ALLOW_DATA_ATTR: false,
  })
}
