// The search box of the console and the portal (GET /api/v1/tickets?q=), and the snippet under
// a result's subject. A snippet arrives as plain-text parts, the matched words marked `hit`; each
// part becomes a text node (inside <mark> for a hit), so ticket text never becomes markup.
import { h, field } from '../dom.js';
import { t } from '../i18n.js';
import { errorText } from '../api.js';

// A labelled <input type="search" name="q">, with the syntax as its hint. `onSearch(q)` runs
// on Enter and when the box is emptied (q === '').
export function searchBox(value, onSearch) {
  const input = h('input', { type: 'search', id: 'q', name: 'q', value: value || '', maxlength: '256',
    autocomplete: 'off', enterkeyhint: 'search', placeholder: t('search.placeholder') });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); onSearch(input.value.trim()); }
  });
  input.addEventListener('search', () => onSearch(input.value.trim()));  // the clear button
  input.addEventListener('input', () => { if (!input.value) onSearch(''); });
  const box = field(t('search.label'), input, t('search.hint'));
  box.classList.add('search-field');
  return box;
}

// The snippet of a search result: text with the matched words in <mark>.
export function snippetNode(parts) {
  if (!Array.isArray(parts) || !parts.length) return null;
  return h('p', { class: 'snippet' },
    parts.map((p) => (p.hit ? h('mark', {}, String(p.text)) : String(p.text))));
}

// The sentence for an error of the search: the catalog's explanation when the query was refused.
export function searchErrorText(err) {
  return err && err.field === 'q' ? t('search.invalid') : errorText(err);
}
