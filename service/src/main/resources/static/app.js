// shopsearch storefront: plain JS over the /v1 API. All state is in the URL (links are shareable,
// the back button works); only a photo search is not (the photo stays in the page).
(function () {
  'use strict';
  const K = 24;
  // The deepest offset the API takes (shopsearch.search.max-offset, from /v1/info); pages past it
  // are asked for with the previous page's nextCursor (search_after), which goes as deep as the list.
  let maxOffset = 1000;
  const $ = (id) => document.getElementById(id);
  const LIST_KEYS = ['category', 'colour', 'attr'];
  const KEYS = ['q', 'mode', 'sort', 'offset', 'cursor', 'minPrice', 'maxPrice', 'inStock', 'similar', 'to', 'debug'];
  let state = {};
  let photo = null; // {file, url} of the last photo search
  let money = (v) => v.toFixed(2);
  let latest = 0; // the newest search: answers to older ones (back, back quickly) are dropped
  const cursors = {}; // the cursor of each page reached by cursor, by query and offset (for Previous)

  function emptyState() {
    return {category: [], colour: [], attr: [], sort: 'relevance', offset: 0};
  }

  function fromUrl(search) {
    const p = new URLSearchParams(search);
    const s = emptyState();
    for (const k of KEYS) if (p.get(k) !== null && p.get(k) !== '') s[k] = p.get(k);
    for (const k of LIST_KEYS) s[k] = p.getAll(k).filter((v) => v !== '');
    s.offset = Math.max(0, parseInt(s.offset, 10) || 0);
    s.debug = s.debug === '1';
    s.photo = p.get('photo') === '1';
    return s;
  }

  function toUrl(s) {
    const p = new URLSearchParams();
    for (const k of KEYS) {
      const v = s[k];
      if (k === 'debug') { if (v) p.set('debug', '1'); continue; }
      if (k === 'offset' && !v) continue;
      if (k === 'sort' && v === 'relevance') continue;
      if (v !== undefined && v !== null && v !== '' && v !== false) p.set(k, v);
    }
    for (const k of LIST_KEYS) for (const v of s[k]) p.append(k, v);
    if (s.photo) p.set('photo', '1');
    const q = p.toString();
    return q ? '?' + q : '/';
  }

  // A new state from a user action: a new history entry, then the search.
  function go(changes, keepOffset) {
    state = Object.assign({}, state, changes);
    if (!keepOffset) { state.offset = 0; state.cursor = undefined; }
    history.pushState(null, '', toUrl(state));
    show();
  }

  function apiParams(s) {
    const p = new URLSearchParams({k: K, sort: s.sort, facets: 'true'});
    if (s.cursor) p.set('cursor', s.cursor); else p.set('offset', s.offset);
    for (const k of LIST_KEYS) for (const v of s[k]) p.append(k, v);
    if (s.minPrice) p.set('minPrice', s.minPrice);
    if (s.maxPrice) p.set('maxPrice', s.maxPrice);
    if (s.inStock) p.set('inStock', s.inStock);
    return p;
  }

  // Identifies a page of the current query (its state without the page position).
  function pageKey(s, offset) {
    return toUrl(Object.assign({}, s, {offset: 0, cursor: undefined, debug: false})) + '@' + offset;
  }

  // The page at an offset: by offset within the API's limit, else by a remembered cursor.
  function pageAt(offset) {
    if (offset <= maxOffset) return {offset: offset, cursor: undefined};
    const c = cursors[pageKey(state, offset)];
    return c ? {offset: offset, cursor: c} : null;
  }

  function hasFilters(s) {
    return s.category.length || s.colour.length || s.attr.length || s.minPrice || s.maxPrice || s.inStock;
  }

  function setStatus(text, cls) {
    const el = $('status');
    el.textContent = text;
    el.className = cls || '';
  }

  // Seconds to wait from a Retry-After header (delta-seconds or an HTTP date), at most 10; null if absent.
  function retryAfterSeconds(value) {
    if (!value) return null;
    const seconds = /^\d+$/.test(value.trim()) ? parseInt(value, 10) : (Date.parse(value) - Date.now()) / 1000;
    if (!Number.isFinite(seconds)) return null;
    return Math.min(10, Math.max(0, seconds));
  }

  // A busy service answers 503 + Retry-After: wait that long and try once more before giving up.
  async function call(url, init) {
    const started = performance.now();
    let res = await fetch(url, init);
    const retry = retryAfterSeconds(res.headers.get('Retry-After'));
    const retried = res.status === 503 && retry !== null;
    if (retried) {
      setStatus('Busy, retrying in ' + Math.ceil(retry) + ' s…', 'degraded');
      await new Promise((resolve) => setTimeout(resolve, retry * 1000));
      res = await fetch(url, init);
    }
    const body = await res.json().catch(() => ({}));
    if (!res.ok) {
      const friendly = res.status === 503 ? 'Search is busy right now. Please try again in a moment.'
        : res.status === 400 ? 'That search could not be run: ' + (body.detail || 'invalid input') + '.'
          : res.status === 404 ? 'That product is no longer in the catalog.'
            : 'Something went wrong (HTTP ' + res.status + '). Please try again.';
      const e = new Error(friendly);
      e.detail = body.detail || body.title || '';
      throw e;
    }
    body.clientMs = performance.now() - started;
    body.retried = retried;
    return body;
  }

  function el(tag, cls, text) {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function card(hit) {
    const c = el('article', 'card');
    c.dataset.id = hit.id;
    const link = el('a', 'product');
    link.href = hit.imageUrl || hit.matchedImage || '#';
    const img = el('img');
    img.loading = 'lazy';
    img.alt = hit.name;
    img.src = hit.matchedImage || hit.imageUrl || '';
    link.append(img, el('div', 'name', hit.name));
    const price = el('div', 'price', hit.price != null ? money(hit.price) : '');
    const similar = el('a', 'similar', 'Similar to ' + hit.name);
    similar.href = toUrl(Object.assign(emptyState(), {similar: hit.id, to: hit.name, debug: state.debug}));
    similar.addEventListener('click', (e) => {
      e.preventDefault();
      go(Object.assign(emptyState(), {similar: hit.id, to: hit.name, debug: state.debug}));
    });
    const ranks = [];
    if (hit.vectorRank) ranks.push('vector #' + hit.vectorRank);
    if (hit.lexicalRank) ranks.push('lexical #' + hit.lexicalRank);
    if (hit.semanticRank) ranks.push('semantic #' + hit.semanticRank);
    const debug = el('div', 'debug score', 'score ' + hit.score.toFixed(4) + (ranks.length ? ' · ' + ranks.join(', ') : ''));
    c.append(link, price, similar, debug);
    return c;
  }

  function facetButton(kind, value, label, count, pressed, onClick) {
    const li = el('li');
    const b = el('button', 'facet');
    b.type = 'button';
    b.dataset.facet = kind;
    b.dataset.value = value;
    b.dataset.count = count;
    b.setAttribute('aria-pressed', pressed ? 'true' : 'false');
    b.append(cap(label) + ' ', el('span', 'count', '(' + count + ')'));
    b.addEventListener('click', onClick);
    li.append(b);
    return li;
  }

  // Facet values are lower-case keys; shown with a capital (the filter takes the key back).
  function cap(text) {
    return text ? text.charAt(0).toUpperCase() + text.slice(1) : text;
  }

  function toggled(list, value) {
    return list.includes(value) ? list.filter((v) => v !== value) : list.concat([value]);
  }

  function section(title, id) {
    const s = el('section');
    s.id = id;
    s.append(el('h2', null, title));
    const ul = el('ul');
    s.append(ul);
    return [s, ul];
  }

  function open(n) {
    return n.selected || (n.children || []).some(open);
  }

  // Two levels of the tree; deeper levels only under the selected category.
  function categoryList(nodes, depth) {
    const ul = el('ul');
    for (const n of nodes) {
      const li = facetButton('category', n.value, n.label, n.count, n.selected,
        () => go({category: n.selected ? [] : [n.value]}));
      if (n.children && n.children.length && (depth === 0 || open(n))) li.append(categoryList(n.children, depth + 1));
      ul.append(li);
    }
    return ul;
  }

  function renderFacets(f) {
    const box = $('facets');
    box.querySelectorAll('section').forEach((s) => s.remove());
    if (!f) return;
    if (f.category && f.category.length) {
      const [s, ul] = section('Category', 'facet-category');
      ul.replaceWith(categoryList(f.category, 0));
      box.append(s);
    }
    if (f.colour && f.colour.length) {
      const [s, ul] = section('Colour', 'facet-colour');
      for (const v of f.colour) ul.append(facetButton('colour', v.value, v.value, v.count, v.selected, () => go({colour: toggled(state.colour, v.value)})));
      box.append(s);
    }
    if (f.price && f.price.some((b) => b.count > 0)) {
      const [s, ul] = section('Price', 'facet-price');
      for (const b of f.price) {
        if (b.count === 0 && !b.selected) continue;
        const label = b.min == null ? 'under ' + money(b.max) : b.max == null ? money(b.min) + ' and up' : money(b.min) + ' – ' + money(b.max);
        ul.append(facetButton('price', (b.min || 0) + '-' + (b.max || ''), label, b.count, b.selected,
          () => go(b.selected ? {minPrice: '', maxPrice: ''} : {minPrice: b.min == null ? '' : String(b.min), maxPrice: b.max == null ? '' : String(b.max)})));
      }
      box.append(s);
    }
    for (const [name, values] of Object.entries(f.attributes || {})) {
      if (!values.length) continue;
      const [s, ul] = section(cap(name.replace(/_/g, ' ')), 'facet-attr-' + name);
      for (const v of values) {
        const key = name + ':' + v.value;
        ul.append(facetButton('attr', key, v.value, v.count, v.selected, () => go({attr: toggled(state.attr, key)})));
      }
      box.append(s);
    }
    const yes = (f.inStock || []).find((v) => v.value === 'true');
    if (yes) {
      const [s, ul] = section('Availability', 'facet-stock');
      ul.append(facetButton('inStock', 'true', 'in stock', yes.count, yes.selected, () => go({inStock: yes.selected ? '' : 'true'})));
      box.append(s);
    }
  }

  function renderDebug(body) {
    const t = body.timings || {};
    const stages = Object.keys(t).filter((k) => k !== 'total').map((k) => k + ' ' + t[k].toFixed(1) + ' ms');
    $('timings').textContent = 'server ' + (t.total || 0).toFixed(1) + ' ms (' + stages.join(', ') + ')'
      + ', round trip ' + body.clientMs.toFixed(0) + ' ms, generation ' + body.indexGeneration
      + (body.embeddingCached ? ', cached embedding' : '')
      + (body.retried ? ', after one retry (service busy)' : '');
  }

  function render(body, what) {
    const grid = $('results');
    grid.replaceChildren(...body.hits.map(card));
    renderFacets(body.facets);
    renderDebug(body);
    const n = body.total;
    const products = n === 1 ? '1 product' : n + ' products';
    if (body.degraded) {
      setStatus('Busy: showing keyword matches only (' + products + ')', 'degraded');
    } else if (body.didYouMean) {
      setStatus(products + ' for “' + body.didYouMean + '”');
    } else {
      setStatus(products + what);
    }
    if (n === 0) {
      const msg = el('p', 'empty', 'Nothing matches' + (state.q ? ' “' + state.q + '”' : '') + '.'
        + (hasFilters(state) ? ' Try removing a filter.' : ' Try other words or a photo.'));
      grid.append(msg);
    }
    const pager = $('pager');
    pager.hidden = n <= K;
    $('page').textContent = (state.offset + 1) + '–' + (state.offset + body.hits.length) + ' of ' + n;
    if (state.cursor) cursors[pageKey(state, state.offset)] = state.cursor;
    if (body.nextCursor) cursors[pageKey(state, state.offset + K)] = body.nextCursor;
    $('prev').disabled = state.offset === 0 || !pageAt(Math.max(0, state.offset - K));
    $('next').disabled = state.offset + K >= n || !pageAt(state.offset + K);
  }

  function landing() {
    $('results').replaceChildren(el('p', 'empty', 'Search by words (any language) or by photo.'));
    renderFacets(null);
    $('pager').hidden = true;
    $('photo-preview').hidden = true;
    setStatus('');
  }

  async function show() {
    document.body.classList.toggle('debug', !!state.debug);
    $('debug').checked = !!state.debug;
    $('mode-label').hidden = !state.debug;
    $('q').value = state.q || '';
    $('sort').value = state.sort || 'relevance';
    if (['vector', 'hybrid', 'lexical'].includes(state.mode)) $('mode').value = state.mode;
    const usePhoto = state.photo && photo;
    $('photo-preview').hidden = !usePhoto;
    if (!state.q && !state.similar && !usePhoto) { latest++; landing(); return; }
    setStatus('Searching…');
    const mine = ++latest;
    try {
      let body;
      let what = '';
      if (state.similar) {
        body = await call('/v1/products/' + encodeURIComponent(state.similar) + '/similar?' + apiParams(state));
        what = ' similar to ' + (state.to || 'product ' + state.similar);
      } else if (usePhoto) {
        const form = new FormData();
        form.append('image', photo.file);
        body = await call('/v1/search/image?' + apiParams(state), {method: 'POST', body: form});
        what = ' that look like your photo';
      } else {
        const p = apiParams(state);
        p.set('q', state.q);
        if (state.mode) p.set('mode', state.mode);
        body = await call('/v1/search?' + p);
      }
      if (mine === latest) render(body, what);
    } catch (e) {
      if (mine !== latest) return;
      $('results').replaceChildren();
      $('pager').hidden = true;
      $('timings').textContent = e.detail || '';
      setStatus(e.message + (state.debug && e.detail ? ' (' + e.detail + ')' : ''), 'error');
    }
  }

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('q').value.trim();
    if (!q) { setStatus('Type something to search', 'error'); return; }
    go({q: q, similar: '', to: '', photo: false});
  });
  $('sort').addEventListener('change', () => go({sort: $('sort').value}));
  $('mode').addEventListener('change', () => go({mode: $('mode').value}));
  $('debug').addEventListener('change', () => go({debug: $('debug').checked}, true));
  $('photo').addEventListener('change', () => {
    const file = $('photo').files[0];
    if (!file) return;
    if (photo) URL.revokeObjectURL(photo.url);
    photo = {file: file, url: URL.createObjectURL(file)};
    $('photo-preview-img').src = photo.url;
    go(Object.assign(emptyState(), {photo: true, debug: state.debug}));
  });
  $('prev').addEventListener('click', () => {
    const page = pageAt(Math.max(0, state.offset - K));
    if (page) go(page, true);
  });
  $('next').addEventListener('click', () => {
    const page = pageAt(state.offset + K);
    if (page) go(page, true);
  });
  window.addEventListener('popstate', () => { state = fromUrl(location.search); show(); });

  // Autocomplete from /v1/suggest (product names and categories), a short pause after typing.
  let suggestTimer = null;
  $('q').addEventListener('input', () => {
    clearTimeout(suggestTimer);
    const typed = $('q').value.trim();
    if (typed.length < 2) { $('suggestions').replaceChildren(); return; }
    suggestTimer = setTimeout(() => {
      fetch('/v1/suggest?' + new URLSearchParams({q: typed, k: 8}))
        .then((r) => (r.ok ? r.json() : {suggestions: []}))
        .then((body) => {
          $('suggestions').replaceChildren(...body.suggestions.map((s) => {
            const o = document.createElement('option');
            o.value = s.text;
            return o;
          }));
        })
        .catch(() => {});
    }, 150);
  });

  // Filters start open on wide screens and collapsed on phones.
  $('filters').open = window.matchMedia('(min-width: 701px)').matches;

  const infoLoaded = fetch('/v1/info').then((r) => r.json()).then((info) => {
    if (info.serving && Number.isInteger(info.serving.maxOffset)) maxOffset = info.serving.maxOffset;
    if (info.model && info.model.name) {
      $('model-info').textContent = info.model.name + ' ' + info.model.version + ' on ' + info.model.provider
        + (info.index && info.index.generation ? ' · index gen ' + info.index.generation + ', ' + info.index.products + ' products' : '');
    }
  }).catch(() => {});

  // Prices in the configured currency, then the search the URL describes.
  fetch('/v1/storefront').then((r) => (r.ok ? r.json() : null)).then((cfg) => {
    if (cfg && cfg.currency) {
      const f = new Intl.NumberFormat(cfg.locale || undefined, {style: 'currency', currency: cfg.currency});
      money = (v) => f.format(v);
    }
  }).catch(() => {}).then(() => infoLoaded).finally(() => {
    state = fromUrl(location.search);
    if (state.photo) state.photo = false; // the photo itself is not in the URL
    show();
  });
})();
