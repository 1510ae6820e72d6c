/*
 * ui.js - DOM and formatting helpers shared by the pages.
 *
 * Everything builds elements through h(); text is always set as text nodes,
 * never as HTML. No inline styles (the server's CSP forbids them): looks come
 * from classes in /css/app.css. Money arrives as integer 分 and is shown in
 * 万元 or 元 with exact BigInt arithmetic; decimals arrive as exact strings
 * and are shown as given.
 */

/* ---- elements ---------------------------------------------------------- */

const PROPS = new Set(['value', 'checked', 'selected', 'disabled', 'hidden',
	'required', 'readOnly', 'multiple', 'indeterminate', 'tabIndex', 'open']);

export function h(tag, attrs, ...children) {
	const el = document.createElement(tag);
	if (attrs) {
		for (const [k, v] of Object.entries(attrs)) {
			if (v === null || v === undefined || v === false && !PROPS.has(k)) continue;
			if (k.startsWith('on') && typeof v === 'function') {
				el.addEventListener(k.slice(2).toLowerCase(), v);
			} else if (k === 'class' || k === 'className') {
				el.className = Array.isArray(v) ? v.filter(Boolean).join(' ') : v;
			} else if (k === 'style' && typeof v === 'object') {
				Object.assign(el.style, v);
			} else if (k === 'dataset' && typeof v === 'object') {
				Object.assign(el.dataset, v);
			} else if (k === 'readonly') {
				el.readOnly = !!v;
			} else if (PROPS.has(k)) {
				el[k] = v;
			} else if (v === true) {
				el.setAttribute(k, '');
			} else {
				el.setAttribute(k, String(v));
			}
		}
	}
	append(el, children);
	return el;
}

function append(el, children) {
	for (const c of children) {
		if (c === null || c === undefined || c === false || c === true) continue;
		if (Array.isArray(c)) append(el, c);
		else if (c instanceof Node) el.appendChild(c);
		else el.appendChild(document.createTextNode(String(c)));
	}
}

export function clear(node) {
	while (node && node.firstChild) node.removeChild(node.firstChild);
	return node;
}

/* ---- formatting -------------------------------------------------------- */

function toBig(v) {
	if (v === null || v === undefined || v === '') return null;
	if (typeof v === 'bigint') return v;
	if (typeof v === 'number') {
		if (!Number.isFinite(v)) return null;
		return BigInt(Math.trunc(v));
	}
	const s = String(v).trim();
	if (!/^-?\d+$/.test(s)) return null;
	return BigInt(s);
}

function groupDigits(s) {
	return s.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/* integer 分 → 万元 with up to 6 decimals, trailing zeros trimmed: 131400000 → "131.4" */
export function fen(v) {
	const b = toBig(v);
	if (b === null) return '—';
	const neg = b < 0n;
	const a = neg ? -b : b;
	const whole = a / 1000000n;
	let frac = (a % 1000000n).toString().padStart(6, '0').replace(/0+$/, '');
	return (neg ? '-' : '') + whole.toString() + (frac ? '.' + frac : '');
}

/* integer 分 → 元 with thousands separators and 2 decimals: "1,314,000.00" */
export function yuan(v) {
	const b = toBig(v);
	if (b === null) return '—';
	const neg = b < 0n;
	const a = neg ? -b : b;
	return (neg ? '-' : '') + groupDigits((a / 100n).toString()) + '.' +
		(a % 100n).toString().padStart(2, '0');
}

/* exact percentage string → "98.06%" */
export function pct(s) {
	if (s === null || s === undefined || s === '') return '—';
	return String(s) + '%';
}

/* "2026-11-23T17:42:19Z" → "2026-11-23 17:42" (UTC as is) */
export function dt(ts) {
	if (!ts) return '—';
	const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(String(ts));
	if (!m) return String(ts);
	return m[2] ? m[1] + ' ' + m[2] : m[1];
}

/*
 * Parse an amount typed in 万元 or 元 into integer 分 (a string, exact).
 * unit: '万元' (6 decimals max) or '元' (2 decimals max). Answers
 * {fen: "123400"} or {error: "…"}; negative amounts only with allowNegative,
 * zero only with allowZero.
 * Full-width digits, commas and spaces are accepted.
 */
export function parseMoney(text, unit = '万元', { allowNegative = false, allowZero = false } = {}) {
	let s = String(text ?? '').trim()
		.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
		.replace(/[，,\s]/g, '').replace(/。|．/g, '.').replace(/－|—|−/g, '-').replace(/＋/g, '+');
	if (s === '') return { error: '请填写金额' };
	const m = /^([+-]?)(\d+)(?:\.(\d*))?$/.exec(s);
	if (!m) return { error: '金额格式不正确，请填写数字（单位：' + unit + '）' };
	const places = unit === '元' ? 2 : 6;
	const frac = m[3] || '';
	if (frac.length > places)
		return { error: '金额最多保留 ' + places + ' 位小数（单位：' + unit + '）' };
	let b = BigInt(m[2] + frac.padEnd(places, '0')); /* 万元: ×10^6 分, 元: ×100 分 */
	if (m[1] === '-') b = -b;
	if (b < 0n && !allowNegative) return { error: '金额不能为负数' };
	if (b === 0n && !allowZero) return { error: '金额不能为 0' };
	if (b > 1000000000000000n || b < -1000000000000000n) return { error: '金额过大' };
	return { fen: b.toString() };
}

/* ---- toast ------------------------------------------------------------- */

export function toast(msg, kind = 'info') {
	let box = document.getElementById('toast');
	if (!box) {
		box = h('div', { id: 'toast' });
		document.body.appendChild(box);
	}
	box.setAttribute('aria-live', kind === 'error' ? 'assertive' : 'polite');
	const item = h('div', { class: 'toast-item toast-' + kind, role: kind === 'error' ? 'alert' : 'status' },
		h('span', { class: 'toast-text' }, msg),
		h('button', { type: 'button', class: 'toast-close', 'aria-label': '关闭提示',
			onclick: () => item.remove() }, '×'));
	box.appendChild(item);
	setTimeout(() => item.remove(), kind === 'error' ? 8000 : 4000);
	return item;
}

/* ---- busy -------------------------------------------------------------- */

export async function busy(button, fn) {
	const label = button ? button.textContent : '';
	if (button) {
		if (button.disabled && button.dataset.busy === '1') return undefined;
		button.disabled = true;
		button.dataset.busy = '1';
		button.setAttribute('aria-busy', 'true');
		button.classList.add('is-busy');
		button.textContent = '处理中…';
	}
	try {
		return await fn();
	} catch (err) {
		toast(err && err.message ? err.message : '操作失败', 'error');
		return undefined;
	} finally {
		if (button) {
			button.textContent = label;
			button.disabled = false;
			delete button.dataset.busy;
			button.removeAttribute('aria-busy');
			button.classList.remove('is-busy');
		}
	}
}

/* ---- modal dialogs ----------------------------------------------------- */

let dialogSeq = 0;

/*
 * modal({title, body, okLabel, cancelLabel, onOk, wide}) shows a <dialog>;
 * Esc or 取消 cancels. onOk() may return false (or a Promise of false) to
 * keep the dialog open (e.g. to show field errors). Answers a Promise that
 * resolves to true (ok) or false (cancelled). body: a node.
 */
export function modal({ title, body, okLabel = '确定', cancelLabel = '取消', onOk, wide = false, danger = false }) {
	const id = 'dlg-' + (++dialogSeq);
	const prevFocus = document.activeElement;
	return new Promise((resolve) => {
		const ok = h('button', { type: 'submit', class: danger ? 'btn danger' : 'btn primary' }, okLabel);
		const cancel = h('button', { type: 'button', class: 'btn', onclick: () => close(false) }, cancelLabel);
		const form = h('form', { method: 'dialog', class: 'dialog-form', novalidate: true },
			h('h2', { class: 'dialog-title', id: id + '-t' }, title),
			h('div', { class: 'dialog-body' }, body),
			h('div', { class: 'dialog-actions' }, ok, cancel));
		const dlg = h('dialog', { class: wide ? 'dialog wide' : 'dialog', 'aria-labelledby': id + '-t' }, form);
		let done = false;
		function close(result) {
			if (done) return;
			done = true;
			dlg.close();
			dlg.remove();
			if (prevFocus && prevFocus.focus && prevFocus.isConnected) prevFocus.focus();
			resolve(result);
		}
		form.addEventListener('submit', async (e) => {
			e.preventDefault();
			if (!onOk) return close(true);
			const r = await busy(ok, () => onOk());
			/* false keeps the dialog open; undefined: an error busy() showed */
			if (r !== false && r !== undefined) close(true);
		});
		dlg.addEventListener('cancel', (e) => {
			e.preventDefault();
			close(false);
		});
		document.body.appendChild(dlg);
		dlg.showModal();
		const first = body && body.querySelector && body.querySelector('input, select, textarea');
		(first || ok).focus();
	});
}

export function confirm(text, { okLabel = '确定', danger = false } = {}) {
	return modal({ title: '请确认', body: h('p', { class: 'dialog-text' }, text), okLabel, danger,
		onOk: () => true });
}

export function prompt(text, { required = false, label = '', okLabel = '确定', value = '' } = {}) {
	const id = 'prompt-' + (++dialogSeq);
	const area = h('textarea', { id, rows: 4, class: 'prompt-text', 'data-field': 'text', maxlength: 4000 });
	area.value = value;
	let result = null;
	const body = h('div', { class: 'field' },
		h('label', { for: id }, label || text),
		area,
		h('div', { class: 'hint' }, required ? '必填。Enter 确定，Shift+Enter 换行。' : 'Enter 确定，Shift+Enter 换行。'));
	area.addEventListener('keydown', (e) => {
		if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
			e.preventDefault();
			area.form && area.form.requestSubmit();
		}
	});
	return modal({
		title: text, body, okLabel,
		onOk: () => {
			clearFieldErrors(body);
			const v = area.value.trim();
			if (required && !v) {
				fieldError(body, 'text', '请填写' + (label || '内容'));
				area.focus();
				return false;
			}
			result = v;
			return true;
		},
	}).then((ok) => (ok ? result : null));
}

/* ---- field errors ------------------------------------------------------ */

let noteSeq = 0;

function findField(container, field) {
	const esc = (s) => (window.CSS && CSS.escape ? CSS.escape(s) : s.replace(/["\\]/g, '\\$&'));
	let el = container.querySelector('[data-field="' + esc(field) + '"]');
	if (el) return el;
	/* "lines[2].actual" → try "lines[2]", then "lines" */
	let f = field;
	while (!el && /[.[]/.test(f)) {
		f = f.replace(/(\.[^.[\]]*|\[\d+\])$/, '');
		if (!f || f === field) break;
		el = container.querySelector('[data-field="' + esc(f) + '"]');
	}
	return el;
}

export function fieldError(container, field, message) {
	if (!container) return null;
	const el = field ? findField(container, field) : null;
	const note = h('div', { class: 'field-note', id: 'fe-' + (++noteSeq), role: 'alert' }, message);
	if (!el) {
		let top = container.querySelector(':scope > .form-error');
		if (!top) {
			top = h('div', { class: 'form-error' });
			container.insertBefore(top, container.firstChild);
		}
		top.appendChild(note);
		return note;
	}
	el.classList.add('invalid');
	const input = /^(INPUT|SELECT|TEXTAREA)$/.test(el.tagName) ? el : el.querySelector('input, select, textarea');
	if (input) {
		input.setAttribute('aria-invalid', 'true');
		const d = input.getAttribute('aria-describedby');
		input.setAttribute('aria-describedby', d ? d + ' ' + note.id : note.id);
	}
	const wrap = el.parentElement && el.parentElement.classList.contains('input-unit') ? el.parentElement : null;
	if (wrap) wrap.insertAdjacentElement('afterend', note); /* an amount with its unit beside it */
	else if (/^(INPUT|SELECT|TEXTAREA|BUTTON)$/.test(el.tagName)) el.insertAdjacentElement('afterend', note);
	else el.appendChild(note);
	return note;
}

export function clearFieldErrors(container) {
	if (!container) return;
	for (const n of container.querySelectorAll('.field-note')) n.remove();
	for (const n of container.querySelectorAll('.form-error')) n.remove();
	for (const n of container.querySelectorAll('.invalid')) n.classList.remove('invalid');
	for (const n of container.querySelectorAll('[aria-invalid]')) {
		n.removeAttribute('aria-invalid');
		const d = (n.getAttribute('aria-describedby') || '').split(/\s+/).filter((x) => x && !x.startsWith('fe-'));
		if (d.length) n.setAttribute('aria-describedby', d.join(' '));
		else n.removeAttribute('aria-describedby');
	}
}

/* ---- badges ------------------------------------------------------------ */

const STATUS_LABELS = {
	draft: '草稿', submitted: '已提交', dept_approved: '主管部门已审核',
	finance_approved: '财政已审核', returned: '已退回', none: '未填报',
};

export function statusBadge(status) {
	if (status === null || status === undefined) return h('span', { class: 'badge st-none' }, '未填报');
	const key = typeof status === 'string' ? status : status.key;
	const label = typeof status === 'string' ? STATUS_LABELS[status] || status : status.label || STATUS_LABELS[key] || key;
	return h('span', { class: 'badge st-' + String(key).replace(/[^a-z_]/g, '') }, label);
}

const GRADE_CLASS = { 优: 'g-you', 良: 'g-liang', 中: 'g-zhong', 差: 'g-cha' };

export function gradeBadge(grade) {
	if (!grade) return h('span', { class: 'badge g-none', title: '尚未评级' }, '—');
	return h('span', { class: 'badge ' + (GRADE_CLASS[grade] || 'g-other') }, grade);
}

/* ---- tables and paging ------------------------------------------------- */

export function table(columns, rows, opts = {}) {
	const { onSort, sortKey, sortDesc, empty = '暂无数据', caption, rowClass, onRow } = opts;
	const head = h('tr', null, columns.map((c) => {
		const cls = ['col-' + (c.key || ''), c.class].filter(Boolean).join(' ');
		if (c.sort && onSort) {
			const active = sortKey === c.sort;
			const arrow = active ? (sortDesc ? '▼' : '▲') : '↕';
			return h('th', { class: cls + ' sortable' + (active ? ' sorted' : ''), scope: 'col',
				'aria-sort': active ? (sortDesc ? 'descending' : 'ascending') : 'none' },
			h('button', { type: 'button', class: 'sort-btn', 'data-sort': c.sort,
				title: '按' + (c.title || c.label) + '排序', onclick: () => onSort(c.sort) },
			c.label, h('span', { class: 'sort-arrow', 'aria-hidden': 'true' }, arrow)));
		}
		return h('th', { class: cls, scope: 'col' }, c.label);
	}));
	const body = h('tbody');
	if (!rows || rows.length === 0) {
		body.appendChild(h('tr', { class: 'empty' }, h('td', { colspan: columns.length }, empty)));
	} else {
		for (const row of rows) {
			const tr = h('tr', { class: rowClass ? rowClass(row) : null });
			for (const c of columns) {
				let v = c.render ? c.render(row) : row[c.key];
				if (v === null || v === undefined || v === '') v = '—';
				tr.appendChild(h('td', { class: ['col-' + (c.key || ''), c.class].filter(Boolean).join(' ') }, v));
			}
			if (onRow) onRow(tr, row);
			body.appendChild(tr);
		}
	}
	return h('table', { class: 'grid' }, caption ? h('caption', null, caption) : null, h('thead', null, head), body);
}

export function pager(total, page, perPage, onPage) {
	const pages = Math.max(1, Math.ceil((total || 0) / (perPage || 1)));
	const prev = h('button', { type: 'button', class: 'btn small', disabled: page <= 1,
		onclick: () => onPage(page - 1) }, '上一页');
	const next = h('button', { type: 'button', class: 'btn small', disabled: page >= pages,
		onclick: () => onPage(page + 1) }, '下一页');
	return h('nav', { class: 'pager', 'aria-label': '分页' }, prev,
		h('span', { class: 'pager-info' }, '第 ' + page + ' 页，共 ' + (total || 0) + ' 条' +
			(pages > 1 ? '（' + pages + ' 页）' : '')),
		next);
}

export function spinner(text = '加载中…') {
	return h('div', { class: 'spinner', role: 'status', 'aria-live': 'polite' },
		h('span', { class: 'spinner-dot', 'aria-hidden': 'true' }), text);
}
