// The attachment drop zone shared by the new-ticket form and a ticket's reply form: a file
// picker and drop target, the chosen files, and one progress bar per upload.
import { h, clear, formatBytes } from '../dom.js';
import { t } from '../i18n.js';
import { upload } from '../api.js';

// A drop zone + file list with one progress bar per upload. Returns {node, files()}.
export function dropZone() {
  const files = [];
  const list = h('ul', { class: 'files' });
  // Hidden (not merely visually hidden): the drop zone below is the one control, so Tab never
  // stops on an invisible input (issue 19).
  const input = h('input', { type: 'file', multiple: true, id: 'attach-input', hidden: true, tabindex: '-1',
    accept: 'image/*,video/*,.log,.txt,.zip,.gz,.json,.xml,.csv,.pdf' });
  const render = () => {
    clear(list);
    files.forEach((f, i) => list.append(h('li', {},
      h('span', { class: 'fname' }, f.name), ' ', h('span', { class: 'fsize' }, formatBytes(f.size)),
      h('button', { type: 'button', class: 'link', 'aria-label': t('attach.remove_named', { name: f.name }),
        onclick: () => { files.splice(i, 1); render(); } }, t('attach.remove')))));
  };
  const add = (fl) => { for (const f of fl) files.push(f); render(); };
  input.addEventListener('change', () => { add(input.files); input.value = ''; });
  const zone = h('div', { class: 'drop', tabindex: '0', role: 'button', 'aria-labelledby': 'attach-label drop-text', 'aria-describedby': 'drop-hint',
    onclick: () => input.click(),
    onkeydown: (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); input.click(); } } },
  h('span', { id: 'drop-text' }, t('attach.drop')));
  // The hint sits below the zone, not in it: the zone's name (label + its text) then holds all
  // of its visible text, as speech input expects (axe: label-content-name-mismatch).
  const hint = h('p', { class: 'hint', id: 'drop-hint' }, t('attach.types'));
  zone.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  zone.addEventListener('dragleave', () => zone.classList.remove('over'));
  zone.addEventListener('drop', (e) => { e.preventDefault(); zone.classList.remove('over'); add(e.dataTransfer.files); });
  const progress = h('div', { class: 'progress-box' });
  return {
    node: h('div', { class: 'field' }, h('span', { class: 'label', id: 'attach-label' }, t('attach.label')), input, zone, hint, list, progress),
    files: () => files.slice(),
    clear: () => { files.length = 0; render(); },
    // Uploads every file to ticket `number`, one bar each; throws the first failure.
    async uploadTo(number) {
      clear(progress);
      for (const f of files) {
        const bar = h('progress', { max: '100', value: '0' });
        const label = h('span', {}, t('attach.uploading', { name: f.name }));
        progress.append(h('div', { class: 'upload' }, label, bar));
        await upload(number, [f], (loaded, total) => { bar.value = Math.round((loaded / total) * 100); });
        bar.value = 100;
        label.textContent = t('attach.uploaded', { name: f.name });
      }
    },
  };
}
