// The storefront, the live order view and the operations page: plain modules over the HTTP API
// (API.md), no build step. Every change of view moves focus to its heading for screen readers.
const main = document.getElementById('main');
const announcer = document.getElementById('announcer');
const customerInput = document.getElementById('customer-id');
const keyInput = document.getElementById('api-key');
const tokens = [['tok_visa', 'Visa (approved)'], ['tok_mastercard', 'Mastercard (approved)'], ['tok_chargeDeclined', 'Declined card'], ['tok_processingError', 'Gateway error, then approved']];
let cart = JSON.parse(sessionStorage.getItem('cart') ?? '[]');
let stopLive = () => {};

customerInput.value = localStorage.getItem('customerId') ?? 'demo-customer';
keyInput.value = sessionStorage.getItem('apiKey') ?? '';
customerInput.addEventListener('change', () => localStorage.setItem('customerId', customerInput.value.trim()));
keyInput.addEventListener('change', () => sessionStorage.setItem('apiKey', keyInput.value.trim()));

const h = (tag, attrs = {}, ...children) => {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children.flat().filter(c => c !== null && c !== undefined).map(c => c instanceof Node ? c : String(c)));
  return el;
};
const money = n => Number(n).toFixed(2);
const announce = text => { announcer.textContent = text; };

async function api(method, path, body) {
  const headers = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (keyInput.value.trim()) headers['X-Api-Key'] = keyInput.value.trim();
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const data = text ? JSON.parse(text) : null;
  if (!response.ok) throw Object.assign(new Error(data?.title ?? response.statusText), { status: response.status, problem: data });
  return data;
}

function problemBox(error) {
  const p = error.problem;
  const extra = error.status === 401 ? ' Enter an API key above.' : '';
  return h('div', { class: 'problem', role: 'alert' }, h('strong', {}, p?.title ?? error.message), p?.detail ? ` ${p.detail}` : '', extra);
}

function show(title, ...content) {
  stopLive();
  main.replaceChildren(h('h2', { id: 'view-title', tabindex: '-1' }, title), ...content);
  document.title = `${title} · Marketplace`;
  document.getElementById('view-title').focus();
}

// ---- Store: catalog, cart, checkout ----
async function storeView() {
  const catalog = h('section', { 'aria-labelledby': 'catalog-title' }, h('h3', { id: 'catalog-title' }, 'Catalog'));
  const cartSection = h('section', { 'aria-labelledby': 'cart-title' });
  show('Store', h('div', { class: 'columns' }, catalog, cartSection));
  renderCart(cartSection);
  try {
    const products = await api('GET', '/api/products');
    if (products.length === 0) catalog.append(h('p', { class: 'muted' }, 'The catalog is empty. Start the host with --Marketplace:SeedDemoData=true, or add products as an admin.'));
    else catalog.append(h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Product'), h('th', { scope: 'col' }, 'Price'), h('th', { scope: 'col' }, 'In stock'), h('th', { scope: 'col' }, 'Quantity'))),
      h('tbody', {}, products.map(p => {
        const qty = h('input', { type: 'number', min: 1, max: 1000, value: 1, 'aria-label': `Quantity of ${p.name}` });
        return h('tr', { 'data-sku': p.sku },
          h('td', {}, p.name, h('br'), h('span', { class: 'muted' }, p.sku)),
          h('td', {}, money(p.price)),
          h('td', {}, p.available),
          h('td', {}, qty, ' ', h('button', { type: 'button', disabled: p.available === 0, onclick: () => addToCart(p, Number(qty.value), cartSection) }, 'Add to cart')));
      })))));
  } catch (e) { catalog.append(problemBox(e)); }
}

function addToCart(product, quantity, cartSection) {
  const line = cart.find(l => l.sku === product.sku);
  if (line) line.quantity += quantity; else cart.push({ sku: product.sku, name: product.name, price: product.price, quantity });
  sessionStorage.setItem('cart', JSON.stringify(cart));
  renderCart(cartSection);
  announce(`${quantity} × ${product.name} added to the cart.`);
}

function renderCart(section) {
  const total = cart.reduce((sum, l) => sum + l.price * l.quantity, 0);
  const field = (name, label, attrs = {}) => h('label', {}, label, h('input', { name, id: `f-${name}`, required: true, 'aria-describedby': `e-${name}`, ...attrs }), h('span', { class: 'error', id: `e-${name}` }));
  const form = h('form', { class: 'checkout', novalidate: true, onsubmit: e => { e.preventDefault(); checkout(form); } },
    h('label', {}, 'Payment', h('select', { name: 'paymentToken', id: 'f-paymentToken', 'aria-describedby': 'e-paymentToken' }, tokens.map(([v, t]) => h('option', { value: v }, t))), h('span', { class: 'error', id: 'e-paymentToken' })),
    field('name', 'Full name', { autocomplete: 'name' }),
    field('line1', 'Address', { autocomplete: 'address-line1' }),
    field('city', 'City', { autocomplete: 'address-level2' }),
    field('postalCode', 'Postal code', { autocomplete: 'postal-code' }),
    field('country', 'Country (2 letters)', { autocomplete: 'country', maxlength: 2 }),
    h('div', { id: 'checkout-problem' }),
    h('button', { type: 'submit', disabled: cart.length === 0 }, 'Place order'));
  section.replaceChildren(
    h('h3', { id: 'cart-title' }, 'Cart'),
    cart.length === 0 ? h('p', { class: 'muted' }, 'Empty.') : h('ul', {}, cart.map(l => h('li', {}, `${l.quantity} × ${l.name} `,
      h('button', { type: 'button', class: 'secondary', 'aria-label': `Remove ${l.name}`, onclick: () => { cart = cart.filter(x => x !== l); sessionStorage.setItem('cart', JSON.stringify(cart)); renderCart(section); } }, 'Remove')))),
    h('p', {}, 'Total ', h('strong', {}, money(total))),
    h('h3', {}, 'Checkout'), form);
}

async function checkout(form) {
  const data = Object.fromEntries(new FormData(form));
  form.querySelectorAll('.error').forEach(e => { e.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(e => e.removeAttribute('aria-invalid'));
  form.querySelector('#checkout-problem').replaceChildren();
  const body = {
    customerId: customerInput.value.trim(),
    items: cart.map(l => ({ sku: l.sku, quantity: l.quantity })),
    paymentToken: data.paymentToken,
    shippingAddress: { name: data.name, line1: data.line1, city: data.city, postalCode: data.postalCode, country: data.country },
  };
  try {
    const order = await api('POST', '/api/orders', body);
    cart = []; sessionStorage.setItem('cart', '[]');
    location.hash = `#/orders/${order.orderId}`;
  } catch (e) {
    // Field errors from the API's validation problem go next to their fields.
    let first = null;
    for (const [key, messages] of Object.entries(e.problem?.errors ?? {})) {
      const name = key.replace(/^shippingAddress\./, '');
      const slot = form.querySelector(`#e-${CSS.escape(name)}`);
      if (slot) { slot.textContent = messages.join(' '); form.querySelector(`#f-${CSS.escape(name)}`)?.setAttribute('aria-invalid', 'true'); first ??= form.querySelector(`#f-${CSS.escape(name)}`); }
    }
    form.querySelector('#checkout-problem').replaceChildren(problemBox(e));
    (first ?? form.querySelector('button[type=submit]')).focus();
  }
}

// ---- One order, live ----
function orderView(orderId) {
  const status = h('p', {}, 'Connecting…');
  const timeline = h('ol', { class: 'timeline', 'aria-label': 'Events of this order' });
  const services = h('div', { class: 'cards', 'aria-live': 'polite' });
  show(`Order ${orderId.slice(0, 8)}`, status, h('section', { 'aria-labelledby': 't-title' }, h('h3', { id: 't-title' }, 'What happened'), timeline), h('section', {}, h('h3', {}, 'The services'), services));
  const controller = new AbortController();
  stopLive = () => controller.abort();
  let last = null;
  streamEvents(`/api/orders/${encodeURIComponent(orderId)}/live`, controller.signal, async view => {
    const { order } = view;
    status.replaceChildren(h('span', { class: `status ${order.status}`, 'data-status': order.status }, order.status),
      order.cancellationReason ? ` because of ${order.cancellationReason}` : '', ` · ${order.items.length} line(s), total ${money(order.total)} · customer ${order.customerId}`);
    timeline.replaceChildren(...view.timeline.map(e => h('li', { 'data-type': e.type },
      h('strong', {}, `${e.sequence}. ${e.type}`), ' ', h('span', { class: 'muted' }, new Date(e.occurredAt).toLocaleTimeString()),
      h('div', { class: 'chips' }, e.handledBy.map(c => h('span', { class: 'chip done' }, `✓ ${c}`)), e.pending.map(c => h('span', { class: 'chip pending' }, `… ${c}`)), (e.deadLettered ?? []).map(c => h('span', { class: 'chip dead' }, `✗ ${c}`))))));
    if (last !== order.status) { announce(`Order ${order.status}${order.cancellationReason ? `: ${order.cancellationReason}` : ''}.`); last = order.status; }
    if (order.status !== 'Placed') await renderServices(order, services);
  }).catch(e => { if (!controller.signal.aborted) status.replaceChildren(problemBox(e)); });
}

async function renderServices(order, target) {
  const get = path => api('GET', path).catch(e => (e.status === 404 ? null : Promise.reject(e)));
  const [payment, shipment, loyalty, mail] = await Promise.all([
    get(`/api/payments/${order.orderId}`), get(`/api/shipments/${order.orderId}`),
    get(`/api/customers/${order.customerId}/loyalty`), get(`/api/customers/${order.customerId}/notifications`)]);
  const card = (title, ...body) => h('div', { class: 'card' }, h('h3', {}, title), ...body);
  target.replaceChildren(
    card('Payment', payment ? `${payment.status}, ${money(payment.amount)} after ${payment.attempts} attempt(s)` : 'None'),
    card('Shipment', shipment ? `${shipment.status}, tracking ${shipment.trackingNumber}` : 'None'),
    card('Loyalty', loyalty ? `${loyalty.points} points, ${loyalty.tier}` : '—'),
    card('Emails', h('ul', {}, (mail ?? []).filter(n => n.orderId === order.orderId).map(n => h('li', {}, n.subject)))));
}

/** Server-Sent Events over fetch, so the API key header goes along (EventSource cannot send one). */
async function streamEvents(path, signal, onData) {
  const headers = { Accept: 'text/event-stream' };
  if (keyInput.value.trim()) headers['X-Api-Key'] = keyInput.value.trim();
  const response = await fetch(path, { headers, signal });
  if (!response.ok) { const p = await response.json().catch(() => null); throw Object.assign(new Error(p?.title ?? response.statusText), { status: response.status, problem: p }); }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const data = buffer.slice(0, end).split('\n').filter(l => l.startsWith('data:')).map(l => l.slice(5).trimStart()).join('\n');
      buffer = buffer.slice(end + 2);
      if (data) await onData(JSON.parse(data));
    }
  }
}

// ---- Operations ----
async function opsView() {
  const outcome = h('section', { 'aria-labelledby': 'o-title' }, h('h3', { id: 'o-title' }, 'Saga outcomes'));
  const recent = h('section', { 'aria-labelledby': 'r-title' }, h('h3', { id: 'r-title' }, 'Recent orders'));
  const letters = h('section', { 'aria-labelledby': 'd-title' }, h('h3', { id: 'd-title' }, 'Dead letters'));
  const cluster = h('section', { 'aria-labelledby': 'c-title' }, h('h3', { id: 'c-title' }, 'Silos'));
  show('Operations', h('p', {}, 'Cluster internals: ', h('a', { href: '/dashboard/' }, 'the Orleans Dashboard'), '.'), outcome, recent, letters, cluster);
  const load = async (section, path, render) => { try { render(await api('GET', path)); } catch (e) { section.append(problemBox(e)); } };
  await Promise.all([
    load(outcome, '/api/reports/sales', r => outcome.append(h('div', { class: 'cards' },
      h('div', { class: 'card' }, h('h3', {}, 'Placed'), h('p', { 'data-count': 'placed' }, r.ordersPlaced)),
      h('div', { class: 'card' }, h('h3', {}, 'Fulfilled'), h('p', { 'data-count': 'fulfilled' }, r.ordersFulfilled)),
      h('div', { class: 'card' }, h('h3', {}, 'Cancelled'), h('p', { 'data-count': 'cancelled' }, r.ordersCancelled)),
      h('div', { class: 'card' }, h('h3', {}, 'Revenue'), h('p', {}, money(r.revenue)))))),
    load(recent, '/api/admin/orders/recent', orders => recent.append(orders.length === 0 ? h('p', { class: 'muted' }, 'No orders yet.') : h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Order', 'Customer', 'Status', 'Total', 'Placed'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, orders.map(o => h('tr', { 'data-order': o.orderId },
        h('td', {}, h('a', { href: `#/orders/${o.orderId}` }, o.orderId.slice(0, 8))), h('td', {}, o.customerId),
        h('td', {}, h('span', { class: `status ${o.status}` }, o.status), o.cancellationReason ? ` (${o.cancellationReason})` : ''),
        h('td', {}, money(o.total)), h('td', {}, new Date(o.placedAt).toLocaleString())))))))),
    load(letters, '/api/admin/dead-letters', list => letters.append(list.length === 0 ? h('p', { class: 'muted' }, 'None: every event was handled.') : h('ul', {}, list.map(d => {
      const result = h('span', { role: 'status' });
      return h('li', {}, `${d.consumer} failed ${d.type} of order ${d.orderId.slice(0, 8)} after ${d.attempts} attempts: ${d.error} `,
        h('button', { type: 'button', onclick: async () => { try { await api('POST', `/api/admin/dead-letters/${encodeURIComponent(d.id)}/replay`); result.textContent = 'Handled.'; } catch (e) { result.replaceChildren(problemBox(e)); } } }, 'Replay'), ' ', result);
    })))),
    load(cluster, '/api/admin/cluster', silos => cluster.append(h('div', { class: 'scroll' }, h('table', {},
      h('thead', {}, h('tr', {}, ['Address', 'Name', 'Status', 'Started', 'Stream partitions'].map(c => h('th', { scope: 'col' }, c)))),
      h('tbody', {}, silos.map(s => h('tr', { 'data-silo': s.address },
        h('td', {}, s.address), h('td', {}, s.name), h('td', {}, h('span', { class: `status ${s.status}` }, s.status)),
        h('td', {}, new Date(s.startedAt).toLocaleString()), h('td', {}, s.partitions.length === 0 ? '—' : s.partitions.join(', '))))))))),
  ]);
}

function route() {
  const [, page, id] = location.hash.split('/');
  if (page === 'orders' && id) orderView(decodeURIComponent(id));
  else if (page === 'ops') opsView();
  else storeView();
}

window.addEventListener('hashchange', route);
route();
