/**
 * Client script of SearchBox.astro: turns the plain search form into a WAI-ARIA 1.2 combobox
 * (list autocomplete, manual selection). The index JSON and the search code (MiniSearch, in its
 * own chunk through the dynamic import) load on first focus; until then the page carries only
 * this file. Keys: ↓/↑ move through the options (wrapping), Enter opens the active option (or the
 * first result), Escape closes the list, then clears the input. A polite live region says how
 * many areas match.
 */
import type { AreaHit, AreaSearch } from '../lib/site/search';
import { unpackSearchStrings } from './search-strings';

const MAX_SHOWN = 20;
const ANNOUNCE_DELAY_MS = 400;

interface Strings {
  loading: string;
  error: string;
  none: string;
  count: string;
  count_one: string;
  count_more: string;
  province: string;
  listbox: string;
  hint: string;
}

export function setupSearchBox(form: HTMLFormElement): void {
  const input = form.querySelector<HTMLInputElement>('input[type="search"]');
  const field = form.querySelector<HTMLElement>('.search-field');
  if (!input || !field) return;
  const strings: Strings = unpackSearchStrings(form.dataset.strings ?? '');
  // The parts only the combobox needs, made here (SearchBox.astro leaves them out of the page): the listbox popup,
  // the key hint, and the polite live region (in the page from the start, before anything is announced).
  const prefix = input.id.replace(/-input$/, '');
  const list = document.createElement('ul');
  list.id = `${prefix}-listbox`;
  list.setAttribute('role', 'listbox');
  list.setAttribute('aria-label', strings.listbox);
  list.hidden = true;
  field.append(list);
  const hint = document.createElement('p');
  hint.id = `${prefix}-hint`;
  hint.className = 'visually-hidden';
  hint.hidden = true;
  hint.textContent = strings.hint;
  const status = document.createElement('p');
  status.id = `${prefix}-status`;
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  status.setAttribute('aria-live', 'polite');
  status.setAttribute('aria-atomic', 'true');
  form.append(hint, status);
  const lang = form.dataset.lang === 'en' ? 'en' : 'zh-CN';
  const indexUrl = form.dataset.indexUrl ?? '';
  const areaHref = form.dataset.areaHref ?? '';

  input.setAttribute('role', 'combobox');
  input.setAttribute('aria-autocomplete', 'list');
  input.setAttribute('aria-expanded', 'false');
  input.setAttribute('aria-controls', list.id);
  if (hint) input.setAttribute('aria-describedby', hint.id);

  let engine: Promise<AreaSearch> | null = null;
  let hits: AreaHit[] = [];
  let active = -1;
  let announceTimer: ReturnType<typeof setTimeout> | undefined;

  const load = (): Promise<AreaSearch> => {
    engine ??= Promise.all([import('../lib/site/search'), fetch(indexUrl)]).then(async ([mod, response]) => {
      if (!response.ok) throw new Error(`${indexUrl}: HTTP ${response.status}`);
      return new mod.AreaSearch(await response.json());
    });
    engine.catch(() => {
      engine = null; // try again on the next keystroke
    });
    return engine;
  };

  const announce = (message: string, now = false) => {
    clearTimeout(announceTimer);
    if (now) status.textContent = message;
    else announceTimer = setTimeout(() => (status.textContent = message), ANNOUNCE_DELAY_MS);
  };

  const hrefOf = (hit: AreaHit) => areaHref.replace('{code}', hit.code);

  const optionId = (i: number) => `${list.id}-${hits[i].code}`;

  const setActive = (i: number) => {
    const options = list.children;
    if (active >= 0 && options[active]) options[active].setAttribute('aria-selected', 'false');
    active = i;
    if (i < 0 || !options[i]) {
      input.removeAttribute('aria-activedescendant');
      return;
    }
    options[i].setAttribute('aria-selected', 'true');
    input.setAttribute('aria-activedescendant', optionId(i));
    (options[i] as HTMLElement).scrollIntoView({ block: 'nearest' });
  };

  const open = (show: boolean) => {
    list.hidden = !show;
    input.setAttribute('aria-expanded', String(show));
    if (!show) setActive(-1);
  };

  const renderOption = (hit: AreaHit, i: number): HTMLLIElement => {
    const li = document.createElement('li');
    li.id = optionId(i);
    li.setAttribute('role', 'option');
    li.setAttribute('aria-selected', 'false');
    const name = document.createElement('span');
    name.className = 'option-name';
    if (lang === 'en') {
      name.append(`${hit.name_en} `);
      const zh = document.createElement('span');
      zh.lang = 'zh-CN';
      zh.textContent = `(${hit.name})`;
      name.append(zh);
    } else {
      name.textContent = hit.name;
    }
    const meta = document.createElement('span');
    meta.className = 'option-meta';
    const parent = lang === 'en' ? hit.parent_name_en : hit.parent_name;
    meta.textContent = `${parent ?? strings.province} · ${hit.code}`;
    li.append(name, meta);
    return li;
  };

  const update = async () => {
    const query = input.value;
    if (!query.trim()) {
      hits = [];
      list.replaceChildren();
      open(false);
      announce('', true);
      return;
    }
    let search: AreaSearch;
    try {
      if (!engine) announce(strings.loading, true);
      search = await load();
    } catch {
      open(false);
      announce(strings.error, true);
      return;
    }
    if (input.value !== query) return; // a newer keystroke is on its way
    const all = search.search(query, Infinity);
    hits = all.slice(0, MAX_SHOWN);
    active = -1;
    input.removeAttribute('aria-activedescendant');
    list.replaceChildren(...hits.map(renderOption));
    open(hits.length > 0);
    const n = all.length;
    announce(
      n === 0 ? strings.none
      : n === 1 ? strings.count_one
      : n > hits.length ? strings.count_more.replace('{n}', String(n)).replace('{shown}', String(hits.length))
      : strings.count.replace('{n}', String(n)),
    );
  };

  const go = (hit: AreaHit) => window.location.assign(hrefOf(hit));

  input.addEventListener('focus', () => void load().catch(() => undefined), { once: true });
  input.addEventListener('input', () => void update());
  input.addEventListener('blur', () => open(false));
  input.addEventListener('keydown', (event) => {
    const expanded = !list.hidden;
    switch (event.key) {
      case 'ArrowDown':
      case 'Down':
        if (!hits.length) return;
        event.preventDefault();
        if (!expanded) open(true);
        if (!event.altKey) setActive(active + 1 >= hits.length ? 0 : active + 1);
        break;
      case 'ArrowUp':
      case 'Up':
        if (!hits.length) return;
        event.preventDefault();
        if (!expanded) open(true);
        setActive(active <= 0 ? hits.length - 1 : active - 1);
        break;
      case 'Enter':
        if (expanded && hits.length) {
          event.preventDefault();
          go(hits[active >= 0 ? active : 0]);
        } // else the form submits to the list of all areas
        break;
      case 'Escape':
      case 'Esc':
        if (expanded) {
          event.preventDefault();
          open(false);
        } else if (input.value) {
          event.preventDefault();
          input.value = '';
          void update();
        }
        break;
      case 'Tab':
        open(false);
        break;
    }
  });
  input.addEventListener('focus', () => {
    if (hits.length && input.value.trim()) open(true);
  });
  // Keep focus in the input while an option is clicked or tapped.
  list.addEventListener('mousedown', (event) => event.preventDefault());
  list.addEventListener('click', (event) => {
    const li = (event.target as Element).closest('[role="option"]');
    const i = li ? Array.prototype.indexOf.call(list.children, li) : -1;
    if (i >= 0 && hits[i]) go(hits[i]);
  });
}
