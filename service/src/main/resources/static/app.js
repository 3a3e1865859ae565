// shopsearch storefront: plain JS over the /v1 API.
(function () {
  'use strict';
  const K = 24;
  const $ = (id) => document.getElementById(id);
  let last = null; // {kind: 'text'|'photo'|'similar', ...} for paging
  let offset = 0;

  function filterParams(params) {
    const add = (name, value) => { if (value !== '' && value != null) params.append(name, value); };
    add('category', $('category').value.trim());
    add('colour', $('colour').value.trim());
    add('minPrice', $('minPrice').value);
    add('maxPrice', $('maxPrice').value);
    if ($('inStock').checked) params.append('inStock', 'true');
    return params;
  }

  function setStatus(text, cls) {
    const s = $('status');
    s.textContent = text;
    s.className = cls || '';
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
      const again = res.headers.get('Retry-After');
      throw new Error((body.detail || body.title || ('HTTP ' + res.status)) + (again ? ' (retry in ' + again + ' s)' : ''));
    }
    body.clientMs = performance.now() - started;
    body.retried = retried;
    return body;
  }

  function render(body) {
    const grid = $('results');
    grid.replaceChildren();
    for (const hit of body.hits) {
      const card = document.createElement('div');
      card.className = 'card';
      card.dataset.id = hit.id;
      const img = document.createElement('img');
      img.loading = 'lazy';
      img.alt = hit.name;
      img.src = hit.matchedImage || hit.imageUrl || '';
      const name = document.createElement('div');
      name.className = 'name';
      name.textContent = hit.name;
      const price = document.createElement('div');
      price.className = 'price';
      price.textContent = hit.price != null ? hit.price.toFixed(2) : '';
      const score = document.createElement('div');
      score.className = 'score';
      score.textContent = 'score ' + hit.score.toFixed(4);
      const similar = document.createElement('a');
      similar.className = 'similar';
      similar.href = '#';
      similar.textContent = 'similar';
      similar.addEventListener('click', (e) => { e.preventDefault(); offset = 0; last = {kind: 'similar', id: hit.id}; run(); });
      card.append(img, name, price, score, similar);
      grid.append(card);
    }
    const t = body.timings || {};
    const stages = Object.keys(t).filter((k) => k !== 'total').map((k) => k + ' ' + t[k].toFixed(1) + ' ms');
    $('timings').textContent = 'server ' + (t.total || 0).toFixed(1) + ' ms (' + stages.join(', ') + ')'
      + ', round trip ' + body.clientMs.toFixed(0) + ' ms, generation ' + body.indexGeneration
      + (body.embeddingCached ? ', cached embedding' : '')
      + (body.retried ? ', after one retry (service busy)' : '');
    if (body.degraded) {
      setStatus('Busy: showing keyword results only (' + body.degradedReason + ')', 'degraded');
    } else {
      const ranked = body.hits.length ? body.candidates + ' products ranked' : 'No results';
      setStatus(body.didYouMean ? 'Showing results for “' + body.didYouMean + '” (' + ranked + ')' : ranked);
    }
    $('pager').hidden = body.hits.length === 0 && offset === 0;
    $('page').textContent = 'results ' + (offset + 1) + '–' + (offset + body.hits.length);
    $('prev').disabled = offset === 0;
    $('next').disabled = body.hits.length < K;
  }

  async function run() {
    setStatus('Searching…');
    try {
      let body;
      if (last.kind === 'text') {
        const p = filterParams(new URLSearchParams({q: last.q, mode: last.mode, k: K, offset: offset}));
        body = await call('/v1/search?' + p);
      } else if (last.kind === 'photo') {
        const form = new FormData();
        form.append('image', last.file);
        const p = filterParams(new URLSearchParams({k: K, offset: offset}));
        body = await call('/v1/search/image?' + p, {method: 'POST', body: form});
      } else {
        const p = filterParams(new URLSearchParams({k: K, offset: offset}));
        body = await call('/v1/products/' + encodeURIComponent(last.id) + '/similar?' + p);
      }
      render(body);
    } catch (e) {
      $('results').replaceChildren();
      $('timings').textContent = '';
      setStatus(e.message, 'error');
    }
  }

  $('search-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const q = $('q').value.trim();
    if (!q) { setStatus('Type something to search', 'error'); return; }
    offset = 0;
    last = {kind: 'text', q: q, mode: $('mode').value};
    // shareable URL: /?q=...&mode=...
    history.replaceState(null, '', '?' + new URLSearchParams({q: q, mode: $('mode').value}));
    run();
  });
  $('photo').addEventListener('change', () => {
    const file = $('photo').files[0];
    if (!file) return;
    offset = 0;
    last = {kind: 'photo', file: file};
    run();
  });
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
  $('prev').addEventListener('click', () => { offset = Math.max(0, offset - K); run(); });
  $('next').addEventListener('click', () => { offset += K; run(); });

  // A link such as /?q=red+floral+dress&mode=vector runs that search on load.
  const initial = new URLSearchParams(window.location.search);
  if (initial.get('q')) {
    $('q').value = initial.get('q');
    if (['vector', 'hybrid', 'lexical'].includes(initial.get('mode'))) $('mode').value = initial.get('mode');
    last = {kind: 'text', q: $('q').value.trim(), mode: $('mode').value};
    run();
  }

  fetch('/v1/info').then((r) => r.json()).then((info) => {
    if (info.model && info.model.name) {
      $('model-info').textContent = info.model.name + ' ' + info.model.version + ' on ' + info.model.provider
        + (info.index && info.index.generation ? ' · index gen ' + info.index.generation + ', ' + info.index.products + ' products' : '');
    }
  }).catch(() => {});
})();
