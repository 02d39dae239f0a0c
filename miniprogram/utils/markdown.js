/**
 * The help articles' "simple Markdown" (paragraphs, **bold**, # headings, - and 1. lists) to
 * HTML for <rich-text>. Everything is escaped first: no HTML from the server is rendered.
 */
function escapeHtml(s) {
  return String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function inline(s) {
  return escapeHtml(s).replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>');
}

function toHtml(markdown) {
  const out = [];
  let list = null;
  const closeList = () => {
    if (list) out.push(`</${list}>`);
    list = null;
  };
  String(markdown || '').split(/\r?\n/).forEach((raw) => {
    const line = raw.trim();
    let m;
    if (!line) {
      closeList();
    } else if ((m = line.match(/^(#{1,4})\s+(.*)$/))) {
      closeList();
      const level = Math.min(m[1].length + 2, 6);
      out.push(`<h${level} class="md-h">${inline(m[2])}</h${level}>`);
    } else if ((m = line.match(/^[-*]\s+(.*)$/))) {
      if (list !== 'ul') {
        closeList();
        list = 'ul';
        out.push('<ul class="md-list">');
      }
      out.push(`<li>${inline(m[1])}</li>`);
    } else if ((m = line.match(/^\d+[.、]\s*(.*)$/))) {
      if (list !== 'ol') {
        closeList();
        list = 'ol';
        out.push('<ol class="md-list">');
      }
      out.push(`<li>${inline(m[1])}</li>`);
    } else {
      closeList();
      out.push(`<p class="md-p">${inline(line)}</p>`);
    }
  });
  closeList();
  return out.join('');
}

module.exports = { toHtml, escapeHtml };
