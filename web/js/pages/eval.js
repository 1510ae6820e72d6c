/*
 * eval.js - #/evals/:id, the self-evaluation (项目支出绩效自评表).
 *
 * The page shows the form users know from Excel: the header (项目名称,
 * 主管部门, 实施单位, 年度), the funds block, 年度总体目标 and the indicator
 * table. A unit filer types the actual values (实际完成值), the deviation
 * reasons (偏差原因分析及改进措施) and what each annual goal achieved; every
 * change is sent to POST /api/evals/:id/preview (debounced) and the computed
 * cells, the total, the grade and the audit findings are updated in place, so
 * the focus and the caret stay where they are. Each score opens its
 * explanation ("为什么是这个分数") from the rule trace.
 *
 * Saving is PATCH /api/evals/:id with the version read; the workflow actions
 * come from the answer's `actions`. The form builder and the review-history
 * helpers are exported for review.js.
 */
import { get, post, patch, ApiError } from '../api.js';
import * as ui from '../ui.js';

const { h } = ui;

const PREVIEW_DELAY = 300;

/* append children, skipping null (Node.append would write "null") */
function put(parent, ...kids) {
	for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) parent.append(k);
	return parent;
}

/* ---- shared helpers (also used by review.js) --------------------------- */

/* Insert /css/eval.css once; resolves when it has loaded (or failed). */
export function ensureCss() {
	const existing = document.querySelector('link[data-css="eval"]');
	if (existing) return existing.dataset.loaded ? Promise.resolve() : new Promise((r) => {
		existing.addEventListener('load', r, { once: true });
		existing.addEventListener('error', r, { once: true });
		setTimeout(r, 1500);
	});
	return new Promise((resolve) => {
		const link = h('link', { rel: 'stylesheet', href: '/css/eval.css', 'data-css': 'eval' });
		link.addEventListener('load', () => { link.dataset.loaded = '1'; resolve(); }, { once: true });
		link.addEventListener('error', () => resolve(), { once: true });
		setTimeout(resolve, 1500);
		document.head.appendChild(link);
	});
}

const ACTION_LABELS = {
	submit: '提交', dept_approve: '审核通过', dept_return: '退回',
	finance_approve: '审核通过', finance_return: '退回',
	finance_approve_direct: '审核通过', finance_return_direct: '退回', reopen: '撤回审核',
};
const ACTION_WHO = {
	dept_approve: '主管部门', dept_return: '主管部门', finance_approve: '财政',
	finance_return: '财政', finance_approve_direct: '财政', finance_return_direct: '财政', reopen: '财政',
};
const STATE_LABELS = {
	draft: '草稿', submitted: '已提交', dept_approved: '主管部门已审核',
	finance_approved: '财政已审核', returned: '已退回',
};

let workflowPromise = null;

/* GET /api/workflow once per page load: the labels of states and actions. */
export function workflow() {
	if (!workflowPromise) {
		workflowPromise = get('/api/workflow').catch(() => {
			workflowPromise = null;
			return { states: [], transitions: [] };
		});
	}
	return workflowPromise;
}

function actionLabel(wf, action) {
	const t = wf && wf.transitions ? wf.transitions.find((x) => x.action === action) : null;
	const base = (t && t.label) || ACTION_LABELS[action] || action;
	const who = ACTION_WHO[action];
	return who && (base === '退回' || base === '审核通过') ? who + base : base;
}

function stateLabel(wf, key) {
	if (!key) return '—';
	const s = wf && wf.states ? wf.states.find((x) => x.key === key) : null;
	return (s && s.label) || STATE_LABELS[key] || key;
}

/* One shape for the review records of evaluations and of goal versions. */
export function normReviews(reviews, wf) {
	return (reviews || []).map((r) => ({
		actor: r.actor || '—',
		action: r.action,
		actionLabel: actionLabel(wf, r.action),
		comment: r.comment || null,
		from: r.from ?? r.from_status ?? null,
		to: r.to ?? r.to_status ?? null,
		fromLabel: r.from_label || stateLabel(wf, r.from ?? r.from_status),
		toLabel: r.to_label || stateLabel(wf, r.to ?? r.to_status),
		at: r.at || r.created_at || null,
	}));
}

/* The newest return (退回 or 撤回审核) with its comment, or null. */
export function latestReturn(reviews) {
	for (let i = reviews.length - 1; i >= 0; i--)
		if (reviews[i].to === 'returned') return reviews[i];
	return null;
}

/* The highlighted banner with the latest return comment. */
export function returnBanner(rev) {
	if (!rev) return null;
	return h('div', { class: 'ev-return', role: 'note' },
		h('div', { class: 'ev-return-head' },
			h('strong', null, rev.actionLabel + '意见'),
			h('span', { class: 'ev-return-who' }, rev.actor + ' · ' + ui.dt(rev.at))),
		h('p', { class: 'ev-return-text' }, rev.comment || '（未填写意见）'));
}

/* The review history (审核记录) as a table, oldest first. */
export function historySection(reviews, { title = '审核记录' } = {}) {
	const sec = h('section', { class: 'ev-history', 'aria-label': title }, h('h2', { class: 'ev-h2' }, title));
	if (!reviews.length) {
		sec.appendChild(h('p', { class: 'ev-muted' }, '尚无审核记录：还未提交过。'));
		return sec;
	}
	const last = latestReturn(reviews);
	sec.appendChild(ui.table([
		{ key: 'at', label: '时间', render: (r) => ui.dt(r.at) },
		{ key: 'actor', label: '操作人' },
		{ key: 'action', label: '操作', render: (r) => h('span', { class: 'ev-act ev-act-' + actKind(r.action) }, r.actionLabel) },
		{ key: 'state', label: '状态变化', render: (r) => r.fromLabel + ' → ' + r.toLabel },
		{ key: 'comment', label: '意见', render: (r) => r.comment || '—' },
	], reviews, { rowClass: (r) => (r === last ? 'ev-hist-return' : null) }));
	return sec;
}

function actKind(action) {
	if (/return|reopen/.test(action)) return 'return';
	if (/approve/.test(action)) return 'approve';
	return 'submit';
}

/*
 * Ask what an action needs before it is taken: a required comment (退回),
 * an optional comment (审核通过), a confirmation. Answers {comment} or null
 * when the user cancelled. what: e.g. "自评表".
 */
export async function askAction(a, { what = '', errors = 0, warnings = 0 } = {}) {
	if (a.action === 'submit') {
		let text = '提交后' + what + '将交审核人员审核，在退回之前不能修改。确定提交吗？';
		if (errors > 0)
			text = what + '还有 ' + errors + ' 项错误' + (warnings ? '、' + warnings + ' 项警告' : '') +
				'（见各行的红色提示）。提交后审核人员会看到这些问题，也可能因此退回。仍要提交吗？';
		const ok = await ui.confirm(text, { okLabel: errors > 0 ? '仍然提交' : '提交' });
		return ok ? { comment: null } : null;
	}
	if (a.comment_required) {
		const isReturn = /return/.test(a.action);
		const c = await ui.prompt(a.label + (what ? '：' + what : ''), {
			required: true,
			label: isReturn ? '退回原因（将显示给填报单位）' : a.label + '原因',
			okLabel: a.label,
		});
		return c === null ? null : { comment: c };
	}
	const c = await ui.prompt(a.label + (what ? '：' + what : ''), {
		required: false, label: '审核意见（选填）', okLabel: a.label,
	});
	return c === null ? null : { comment: c || null };
}

export function actionButton(a, onclick) {
	const kind = actKind(a.action);
	return h('button', {
		type: 'button',
		class: 'btn ' + (kind === 'return' ? 'danger' : 'primary') + ' ev-action',
		'data-action': a.action,
		onclick,
	}, a.label);
}

/* ---- findings ---------------------------------------------------------- */

const SEVERITY = { error: '错误', warning: '警告' };

/* Fields a finding code points at, to mark the cell. */
const CODE_FIELD = {
	MISSING_DEVIATION_REASON: 'reason',
	MISSING_VALUE: 'actual',
	UNPARSED_VALUE: 'actual',
	UNIT_MISMATCH: 'actual',
	LARGE_DEVIATION: 'actual',
};

function findingText(f, line) {
	let m = f.message || f.code;
	/* "未填写得分": in the web form scores are computed from the actual value */
	if (line && f.code === 'MISSING_VALUE' && /得分/.test(m) && !line.actual)
		m += '（填写实际完成值后自动计算）';
	/* the stated and computed figures, unless the message already says them */
	const extra = [];
	const says = (v) => v !== null && v !== undefined && v !== '' && m.includes(String(v));
	const has = (v) => v !== null && v !== undefined && v !== '';
	if (has(f.stated) && has(f.computed) && !(says(f.stated) && says(f.computed))) {
		extra.push('表中：' + f.stated, '计算：' + f.computed);
	} else if (has(f.stated) && !has(f.computed) && !says(f.stated)) {
		extra.push('表中：' + f.stated);
	} else if (has(f.computed) && !has(f.stated) && !says(f.computed)) {
		extra.push('计算：' + f.computed);
	}
	return extra.length ? m + '（' + extra.join('，') + '）' : m;
}

function findingItem(f, line, withLocation) {
	const sev = f.severity === 'error' ? 'error' : 'warning';
	return h('li', { class: 'ev-f ev-f-' + sev, 'data-code': f.code },
		h('span', { class: 'ev-sev ev-sev-' + sev }, SEVERITY[sev]),
		withLocation && f.location ? h('span', { class: 'ev-f-loc' }, f.location + '：') : null,
		h('span', { class: 'ev-f-msg' }, findingText(f, line)));
}

function countsNode(counts) {
	const e = (counts && counts.errors) || 0;
	const w = (counts && counts.warnings) || 0;
	if (!e && !w) return h('span', { class: 'ev-count ev-count-ok' }, '审核未发现问题');
	return h('span', { class: 'ev-counts' },
		h('span', { class: 'ev-count ev-count-error' + (e ? '' : ' zero') }, '错误 ' + e + ' 项'),
		h('span', { class: 'ev-count ev-count-warning' + (w ? '' : ' zero') }, '警告 ' + w + ' 项'));
}

/* ---- the form ---------------------------------------------------------- */

let formSeq = 0;

function groupRuns(lines, key) {
	/* [{start, count}] of consecutive lines with the same value of key (given the previous keys equal) */
	const runs = [];
	for (let i = 0; i < lines.length; i++) {
		const prev = runs[runs.length - 1];
		if (prev && key(lines[i]) === key(lines[prev.start])) prev.count++;
		else runs.push({ start: i, count: 1 });
	}
	return runs;
}

function scoreText(v) {
	return v === null || v === undefined || v === '' ? '—' : String(v);
}

function autosize(t) {
	t.style.height = 'auto';
	t.style.height = Math.max(t.scrollHeight + 2, 34) + 'px';
}

/*
 * buildForm(ev, {editable, onChange, onSaveKey}) → {el, update(ev), values(),
 * fields, baseline(ev), isDirty()}. Read-only when !editable (the reviewers'
 * view). Nothing typed is ever re-rendered: update() touches computed cells.
 */
export function buildForm(ev, { editable = false, onChange = null, onSaveKey = null } = {}) {
	const fid = 'evf' + (++formSeq);
	const lines = ev.lines || [];
	const goals = ev.goals || [];
	const rows = [];          /* per line: the elements to update */
	const fields = [];        /* editable elements in document order */
	let saved = new Map();    /* data-field → saved text */
	let current = ev;

	const onInput = (e) => {
		if (e.target.tagName === 'TEXTAREA') autosize(e.target);
		if (onChange) onChange();
	};

	function navKey(e) {
		const el = e.target;
		if (e.key === 's' && (e.ctrlKey || e.metaKey)) {
			e.preventDefault();
			if (onSaveKey) onSaveKey();
			return;
		}
		if (e.key !== 'Enter' || e.isComposing) return;
		if (e.altKey && el.tagName === 'TEXTAREA') {
			/* Alt+Enter: a new line inside the cell, as in Excel */
			e.preventDefault();
			el.setRangeText('\n', el.selectionStart, el.selectionEnd, 'end');
			el.dispatchEvent(new Event('input', { bubbles: true }));
			return;
		}
		if (e.ctrlKey || e.metaKey || e.altKey) return;
		e.preventDefault();
		moveFrom(el, e.shiftKey ? -1 : 1);
	}

	function moveFrom(el, dir) {
		const col = el.dataset.col;
		const same = fields.filter((f) => f.dataset.col === col);
		let i = same.indexOf(el) + dir;
		let target = same[i];
		if (!target) {
			/* past the end of a column: the next (previous) column, first (last) cell */
			const cols = [];
			for (const f of fields) if (!cols.includes(f.dataset.col)) cols.push(f.dataset.col);
			const ci = cols.indexOf(col) + dir;
			if (ci >= 0 && ci < cols.length) {
				const other = fields.filter((f) => f.dataset.col === cols[ci]);
				target = dir > 0 ? other[0] : other[other.length - 1];
			}
		}
		if (target) {
			target.focus();
			if (typeof target.select === 'function' && target.tagName === 'INPUT') target.select();
		}
	}

	function input(field, col, value, label, multiline) {
		const el = multiline
			? h('textarea', { class: 'ev-input ev-ta', rows: 1, 'data-field': field, 'data-col': col, 'aria-label': label, maxlength: 4096 })
			: h('input', { type: 'text', class: 'ev-input', 'data-field': field, 'data-col': col, 'aria-label': label, maxlength: 512, autocomplete: 'off' });
		el.value = value ?? '';
		el.addEventListener('input', onInput);
		el.addEventListener('keydown', navKey);
		fields.push(el);
		return el;
	}

	function whyToggle(btn, panel) {
		btn.addEventListener('click', () => {
			const open = btn.getAttribute('aria-expanded') !== 'true';
			btn.setAttribute('aria-expanded', open ? 'true' : 'false');
			panel.hidden = !open;
			const holder = panel.closest('.ev-detail');
			if (holder) syncDetail(holder);
		});
	}

	function whyButton(id, label) {
		return h('button', {
			type: 'button', class: 'ev-why-btn', 'aria-expanded': 'false', 'aria-controls': id,
			title: '为什么是这个分数', 'aria-label': label, 'data-label': label,
		}, h('span', { class: 'ev-why-score' }, '—'), h('span', { class: 'ev-why-i', 'aria-hidden': 'true' }, 'ⓘ'));
	}

	/* the score on the button, and in its accessible name */
	function setScore(btn, v) {
		btn.querySelector('.ev-why-score').textContent = scoreText(v);
		btn.setAttribute('aria-label', btn.dataset.label.replace('得分', '得分' + scoreText(v) + (v === null || v === undefined ? '' : '分')));
	}

	function syncDetail(tr) {
		const any = [...tr.querySelectorAll('.ev-notes, .ev-why')].some((n) => !n.hidden);
		tr.classList.toggle('ev-empty', !any);
	}

	/* header: 项目名称, 主管部门, 实施单位 */
	const headTable = h('table', { class: 'ev-grid ev-head' },
		h('tbody', null,
			h('tr', null,
				h('th', { scope: 'row' }, '项目名称'),
				h('td', { colspan: 3, class: 'ev-title-cell' }, ev.title || '—',
					ev.code ? h('span', { class: 'ev-code' }, '（' + ev.code + '）') : null)),
			h('tr', null,
				h('th', { scope: 'row' }, '主管部门'), h('td', null, ev.dept || '财政直管单位'),
				h('th', { scope: 'row' }, '实施单位'), h('td', null, ev.unit || '—'))));

	/* funds */
	const f = ev.funds;
	let fundsEls = null;
	let fundsTable;
	if (f) {
		const whyId = fid + '-why-funds';
		const btn = whyButton(whyId, '预算执行率得分，为什么是这个分数');
		const panel = h('div', { class: 'ev-why', id: whyId, hidden: true });
		const detail = h('tr', { class: 'ev-detail ev-empty' }, h('td', { colspan: 8 }, panel));
		whyToggle(btn, panel);
		fundsEls = { btn, panel, rate: h('td', { class: 'num' }), weight: h('td', { class: 'num' }) };
		fundsTable = h('table', { class: 'ev-grid ev-funds' },
			h('tbody', null,
				h('tr', null,
					h('th', { scope: 'rowgroup', rowspan: 2, class: 'ev-funds-label' }, '项目资金', h('br'), '（' + (f.unit || '万元') + '）'),
					h('td', { class: 'ev-blank' }, f.period ? '（' + f.period + '）' : ''),
					h('th', { scope: 'col' }, '年初预算数'), h('th', { scope: 'col' }, '全年预算数'),
					h('th', { scope: 'col' }, '全年执行数'), h('th', { scope: 'col' }, '分值'),
					h('th', { scope: 'col' }, '执行率'), h('th', { scope: 'col' }, '得分')),
				h('tr', null,
					h('th', { scope: 'row' }, '年度资金总额'),
					h('td', { class: 'num' }, ui.fen(f.initial_fen)),
					h('td', { class: 'num' }, ui.fen(f.annual_fen)),
					h('td', { class: 'num' }, ui.fen(f.executed_fen)),
					fundsEls.weight, fundsEls.rate,
					h('td', { class: 'num ev-score' }, btn)),
				detail));
	} else {
		fundsTable = h('div', { class: 'ev-note-box' },
			'项目资金：开始自评时项目尚无预算，自评表没有预算执行率一行（各指标分值合计按 90 分计，审核会提示）。');
	}

	/* annual goals */
	const goalRows = goals.map((g, i) => h('tr', null,
		h('td', { class: 'ev-goal-text' }, (goals.length > 1 ? (i + 1) + '. ' : '') + (g.expected || '—')),
		h('td', { class: 'ev-goal-achieved' }, editable
			? input('goals[' + g.position + '].achieved', 'achieved', g.achieved, '年度总体目标' + (goals.length > 1 ? (i + 1) : '') + '：实际完成情况', true)
			: (g.achieved || '—'))));
	const goalsTable = h('table', { class: 'ev-grid ev-goals' },
		h('tbody', null,
			h('tr', null,
				h('th', { scope: 'rowgroup', rowspan: 1 + Math.max(goalRows.length, 1), class: 'ev-goals-label' }, '年度总体目标'),
				h('th', { scope: 'col' }, '预期目标'),
				h('th', { scope: 'col' }, '实际完成情况')),
			goalRows.length ? goalRows : h('tr', null, h('td', { colspan: 2, class: 'ev-muted' }, '绩效目标中没有年度总体目标。'))));

	/* indicators */
	const l1runs = groupRuns(lines, (l) => l.level1 || '');
	const l1start = new Map(l1runs.map((r) => [r.start, r.count]));
	const l2start = new Map();
	for (const r1 of l1runs) {
		const sub = lines.slice(r1.start, r1.start + r1.count);
		for (const r2 of groupRuns(sub, (l) => l.level2 || '')) l2start.set(r1.start + r2.start, r2.count);
	}
	const tbody = h('tbody');
	lines.forEach((l, i) => {
		const p = l.position;
		const whyId = fid + '-why-' + p;
		const notes = h('ul', { class: 'ev-notes', hidden: true, 'aria-label': '第' + (i + 1) + '行的审核提示' });
		const why = h('div', { class: 'ev-why', id: whyId, hidden: true });
		const btn = whyButton(whyId, '第' + (i + 1) + '行“' + (l.name || '') + '”的得分，为什么是这个分数');
		whyToggle(btn, why);
		const completion = h('td', { class: 'num ev-completion' });
		const actualCell = h('td', { class: 'ev-actual' });
		const reasonCell = h('td', { class: 'ev-reason' });
		let actualEl = null;
		let reasonEl = null;
		if (editable) {
			actualEl = input('lines[' + p + '].actual', 'actual', l.actual, '第' + (i + 1) + '行“' + (l.name || '') + '”实际完成值', false);
			reasonEl = input('lines[' + p + '].reason', 'reason', l.reason, '第' + (i + 1) + '行“' + (l.name || '') + '”偏差原因分析及改进措施', true);
			actualCell.appendChild(actualEl);
			reasonCell.appendChild(reasonEl);
		} else {
			actualCell.textContent = l.actual || '—';
			reasonCell.textContent = l.reason || '';
		}
		const tr = h('tr', { class: 'ev-line', 'data-line': p });
		const twoRows = 2;
		if (l1start.has(i)) tr.appendChild(h('th', { scope: 'rowgroup', class: 'ev-l1', rowspan: l1start.get(i) * twoRows }, l.level1 || '—'));
		if (l2start.has(i)) tr.appendChild(h('td', { class: 'ev-l2', rowspan: l2start.get(i) * twoRows }, l.level2 || '—'));
		put(tr,
			h('td', { class: 'ev-name' }, l.name || '—'),
			h('td', { class: 'ev-target' }, l.target || '—',
				l.unit && l.target && !String(l.target).includes(l.unit) ? h('span', { class: 'ev-unit' }, '（' + l.unit + '）') : null),
			actualCell,
			h('td', { class: 'num ev-weight' }, scoreText(l.weight)),
			h('td', { class: 'num ev-score' }, btn),
			completion,
			reasonCell);
		const detail = h('tr', { class: 'ev-detail ev-empty', 'data-detail': p },
			h('td', { colspan: 7 }, notes, why));
		put(tbody, tr, detail);
		rows.push({ p, index: i, tr, detail, notes, why, btn, completion, actualEl, reasonEl });
	});

	const totalWhyId = fid + '-why-total';
	const totalBtn = whyButton(totalWhyId, '总得分，为什么是这个分数');
	const totalWhy = h('div', { class: 'ev-why', id: totalWhyId, hidden: true });
	const totalDetail = h('tr', { class: 'ev-detail ev-empty' }, h('td', { colspan: 9 }, totalWhy));
	whyToggle(totalBtn, totalWhy);
	const totalWeight = h('td', { class: 'num' });
	const gradeCell = h('td', { colspan: 2, class: 'ev-grade-cell' });
	const indTable = h('table', { class: 'ev-grid ev-lines' },
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'c-l1' }, '一级指标'),
			h('th', { scope: 'col', class: 'c-l2' }, '二级指标'),
			h('th', { scope: 'col', class: 'c-name' }, '三级指标'),
			h('th', { scope: 'col', class: 'c-target' }, '年度指标值'),
			h('th', { scope: 'col', class: 'c-actual' }, '实际完成值'),
			h('th', { scope: 'col', class: 'c-weight' }, '分值'),
			h('th', { scope: 'col', class: 'c-score' }, '得分'),
			h('th', { scope: 'col', class: 'c-completion' }, '完成率'),
			h('th', { scope: 'col', class: 'c-reason' }, '偏差原因分析及改进措施'))),
		tbody.childNodes.length ? tbody : h('tbody', null, h('tr', null, h('td', { colspan: 9, class: 'ev-muted' }, '没有绩效指标。'))),
		h('tfoot', null,
			h('tr', { class: 'ev-total' },
				h('th', { scope: 'row', colspan: 5 }, '总分'),
				totalWeight,
				h('td', { class: 'num ev-score' }, totalBtn),
				gradeCell),
			totalDetail));

	/* the summary above the table: counts and the findings not about one line */
	const summaryCounts = h('div', { class: 'ev-sum-counts' });
	const headFindings = h('ul', { class: 'ev-head-findings', 'aria-label': '表头及总体审核提示' });
	const summary = h('section', { class: 'ev-summary', 'aria-label': '审核结果' },
		h('div', { class: 'ev-sum-row' }, h('h2', { class: 'ev-h2' }, '审核结果'), summaryCounts),
		headFindings);

	const el = h('div', { class: 'ev-form' + (editable ? '' : ' ev-form-ro'), id: fid },
		summary,
		h('h2', { class: 'ev-h2 ev-sr' }, '基本信息'),
		headTable,
		fundsTable,
		goalsTable,
		h('h2', { class: 'ev-h2 ev-table-title' }, '绩效指标'),
		h('div', { class: 'ev-table-wrap' }, indTable));

	function update(e) {
		current = e;
		const byLine = new Map();
		const head = [];
		for (const fd of e.findings || []) {
			if (fd.indicator === null || fd.indicator === undefined) head.push(fd);
			else {
				if (!byLine.has(fd.indicator)) byLine.set(fd.indicator, []);
				byLine.get(fd.indicator).push(fd);
			}
		}
		ui.clear(summaryCounts).appendChild(countsNode(e.counts));
		ui.clear(headFindings);
		for (const fd of head) headFindings.appendChild(findingItem(fd, null, true));
		/* line findings whose line is not in the table (should not happen) go to the head */
		for (const [pos, list] of byLine) if (!rows.some((r) => r.p === pos)) for (const fd of list) headFindings.appendChild(findingItem(fd, null, true));
		headFindings.hidden = headFindings.childNodes.length === 0;

		if (fundsEls && e.funds) {
			const fu = e.funds;
			fundsEls.weight.textContent = scoreText(fu.weight);
			fundsEls.rate.textContent = ui.pct(fu.rate && fu.rate.computed);
			setScore(fundsEls.btn, fu.score && fu.score.computed);
			put(ui.clear(fundsEls.panel), h('strong', null, '为什么是这个分数：'), fu.why || '—');
		}

		const lineByPos = new Map((e.lines || []).map((l) => [l.position, l]));
		for (const r of rows) {
			const l = lineByPos.get(r.p);
			if (!l) continue;
			setScore(r.btn, l.score);
			put(ui.clear(r.completion),
				l.completion === null || l.completion === undefined ? '—' : ui.pct(l.completion),
				l.outcome && l.outcome !== 'unknown' ? h('span', { class: 'ev-outcome ev-out-' + l.outcome }, l.outcome_label) : null);
			put(ui.clear(r.why), h('strong', null, '为什么是这个分数：'), l.why || '—');
			const extra = [];
			if (l.kind === 'qualitative' && l.range)
				extra.push('定性指标的得分区间为 ' + l.range.min + '～' + l.range.max + ' 分，建议 ' + l.range.suggested + ' 分。');
			if (l.direction_inferred) extra.push('年度指标值未写“≥”“≤”等比较符号，计分方向由规则方案（' + (e.rules || '') + '）推定。');
			if (l.score_stated !== null && l.score_stated !== undefined && l.score !== null && l.score_stated !== l.score)
				extra.push('表中填报得分 ' + l.score_stated + '，系统计算得分 ' + l.score + '。');
			for (const x of extra) r.why.appendChild(h('div', { class: 'ev-why-extra' }, x));
			const list = byLine.get(r.p) || [];
			ui.clear(r.notes);
			for (const fd of list) r.notes.appendChild(findingItem(fd, l, false));
			r.notes.hidden = list.length === 0;
			const hasErr = list.some((x) => x.severity === 'error');
			const hasWarn = list.some((x) => x.severity !== 'error');
			r.tr.classList.toggle('ev-row-error', hasErr);
			r.tr.classList.toggle('ev-row-warning', !hasErr && hasWarn);
			r.detail.classList.toggle('ev-row-error', hasErr);
			r.detail.classList.toggle('ev-row-warning', !hasErr && hasWarn);
			for (const [elKey, col] of [['actualEl', 'actual'], ['reasonEl', 'reason']]) {
				const inp = r[elKey];
				if (!inp) continue;
				const mine = list.filter((x) => CODE_FIELD[x.code] === col);
				inp.classList.toggle('ev-flag-error', mine.some((x) => x.severity === 'error'));
				inp.classList.toggle('ev-flag-warning', mine.length > 0 && !mine.some((x) => x.severity === 'error'));
			}
			syncDetail(r.detail);
		}

		const t = e.total || {};
		totalWeight.textContent = scoreText(t.weight);
		setScore(totalBtn, t.computed);
		put(ui.clear(totalWhy), h('strong', null, '为什么是这个分数：'), t.why || '—');
		const g = e.grade && e.grade.computed;
		put(ui.clear(gradeCell), h('span', { class: 'ev-grade-label' }, '评价等级'), ui.gradeBadge(g),
			t.complete === false ? h('span', { class: 'ev-incomplete' }, '有指标无法计分，总分不完整，暂不评级') : null);
	}

	function values() {
		const lv = rows.map((r) => ({
			position: r.p,
			actual: r.actualEl ? nullIfBlank(r.actualEl.value) : undefined,
			reason: r.reasonEl ? nullIfBlank(r.reasonEl.value) : undefined,
		}));
		const gv = goals.map((g) => {
			const inp = fields.find((x) => x.dataset.field === 'goals[' + g.position + '].achieved');
			return { position: g.position, achieved: inp ? nullIfBlank(inp.value) : undefined };
		});
		return { lines: lv, goals: gv };
	}

	function baseline(e) {
		saved = new Map();
		for (const l of e.lines || []) {
			saved.set('lines[' + l.position + '].actual', l.actual || '');
			saved.set('lines[' + l.position + '].reason', l.reason || '');
		}
		for (const g of e.goals || []) saved.set('goals[' + g.position + '].achieved', g.achieved || '');
	}

	function isDirty() {
		return fields.some((x) => (saved.get(x.dataset.field) || '').trim() !== x.value.trim());
	}

	baseline(ev);
	update(ev);
	/* textareas take their height once they are in the document */
	const sizeAll = () => { for (const x of fields) if (x.tagName === 'TEXTAREA') autosize(x); };
	return { el, update, values, fields, baseline, isDirty, sizeAll, get current() { return current; } };
}

function nullIfBlank(v) {
	return String(v).trim() === '' ? null : String(v);
}

/* ---- the page ---------------------------------------------------------- */

let state = null;

function onBeforeUnload(e) {
	if (state && state.form && state.form.isDirty()) {
		e.preventDefault();
		e.returnValue = '';
	}
}

function teardown() {
	if (!state) return;
	clearTimeout(state.timer);
	state.dead = true;
	window.removeEventListener('beforeunload', onBeforeUnload);
	state = null;
}

export function leave() {
	if (!state) return true;
	if (!state.form || !state.form.isDirty()) {
		teardown();
		return true;
	}
	return ui.confirm('有未保存的修改，确定离开？', { okLabel: '离开', danger: true }).then((ok) => {
		if (ok) teardown();
		return ok;
	});
}

export async function render(root, params, ctx) {
	teardown();
	const id = params.id;
	const me = { dead: false, timer: null, seq: 0, form: null, ev: null };
	state = me;
	root.appendChild(ui.spinner('正在载入自评表…'));
	let ev;
	let wf;
	try {
		[ev, wf] = await Promise.all([get('/api/evals/' + encodeURIComponent(id)), workflow(), ensureCss()]);
	} catch (err) {
		if (me.dead) return;
		ui.clear(root);
		root.appendChild(h('div', { class: 'ev-page' },
			h('h1', null, '项目支出绩效自评表'),
			h('p', { class: 'ev-error-box', role: 'alert' },
				err && err.status === 404 ? '自评表不存在，或不在您的查看范围内。' : '载入失败：' + (err && err.message ? err.message : '未知错误')),
			h('p', null, h('a', { href: '#/projects' }, '返回项目列表'))));
		return;
	}
	if (me.dead) return;
	me.ev = ev;
	me.wf = wf;
	window.addEventListener('beforeunload', onBeforeUnload);
	ui.clear(root);
	draw(root, params, ctx, me);
}

function draw(root, params, ctx, me) {
	const ev = me.ev;
	const wf = me.wf;
	const editable = !!ev.editable;
	const reviews = normReviews(ev.reviews, wf);
	const ret = ev.status && ev.status.key === 'returned' ? latestReturn(reviews) : null;

	const calc = h('span', { class: 'ev-calc', role: 'status', 'aria-live': 'polite' });
	const liveTotal = h('span', { class: 'ev-live-total' });
	const liveGrade = h('span', { class: 'ev-live-grade' });
	const liveCounts = h('span', { class: 'ev-live-counts' });

	const form = buildForm(ev, {
		editable,
		onChange: () => schedulePreview(),
		onSaveKey: () => saveBtn && saveBtn.click(),
	});
	me.form = form;

	let saveBtn = null;
	const buttons = [];
	if (editable) {
		saveBtn = h('button', { type: 'button', class: 'btn primary', id: 'ev-save', onclick: () => ui.busy(saveBtn, () => save()) }, '保存');
		buttons.push(saveBtn);
	}
	for (const a of ev.actions || []) {
		const b = actionButton(a, () => take(a, b));
		if (a.action === 'submit') b.classList.replace('primary', 'ev-submit');
		buttons.push(b);
	}

	function refreshLive(e) {
		const t = e.total || {};
		put(ui.clear(liveTotal), h('span', { class: 'ev-live-k' }, '总分'), h('strong', { class: 'ev-live-v', id: 'ev-total' }, scoreText(t.computed)),
			t.weight ? h('span', { class: 'ev-live-of' }, '/' + t.weight) : null);
		put(ui.clear(liveGrade), h('span', { class: 'ev-live-k' }, '等级'), ui.gradeBadge(e.grade && e.grade.computed));
		ui.clear(liveCounts).appendChild(countsNode(e.counts));
	}

	const dirtyNote = h('span', { class: 'ev-dirty-note', hidden: true }, '有未保存的修改');
	function markDirty() {
		const d = form.isDirty();
		page.classList.toggle('ev-dirty', d);
		dirtyNote.hidden = !d;
	}

	function schedulePreview() {
		markDirty();
		clearTimeout(me.timer);
		calc.textContent = '正在计算…';
		calc.className = 'ev-calc busy';
		me.timer = setTimeout(runPreview, PREVIEW_DELAY);
	}

	async function runPreview() {
		const seq = ++me.seq;
		const body = form.values();
		try {
			const e = await post('/api/evals/' + ev.id + '/preview', body);
			if (me.dead || seq !== me.seq) return;
			ui.clearFieldErrors(form.el);
			form.update(e);
			refreshLive(e);
			calc.textContent = form.isDirty() ? '已按当前填写实时计算（尚未保存）' : '已保存';
			calc.className = 'ev-calc' + (form.isDirty() ? ' pending' : '');
		} catch (err) {
			if (me.dead || seq !== me.seq) return;
			ui.clearFieldErrors(form.el);
			calc.textContent = '无法计算：' + (err.message || '请求失败');
			calc.className = 'ev-calc failed';
			if (err instanceof ApiError && err.field) ui.fieldError(form.el, mapField(err.field, body), err.message);
		}
	}

	/* the API names fields by the index in the request's arrays: map to positions */
	function mapField(field, body) {
		const m = /^(lines|goals)\[(\d+)\](.*)$/.exec(field || '');
		if (!m) return field;
		const item = body[m[1]] && body[m[1]][Number(m[2])];
		return item ? m[1] + '[' + item.position + ']' + m[3] : field;
	}

	async function save() {
		clearTimeout(me.timer);
		me.seq++; /* answers of earlier previews are stale now */
		const body = form.values();
		ui.clearFieldErrors(form.el);
		try {
			const e = await patch('/api/evals/' + ev.id, { version: me.ev.version, ...body });
			if (me.dead) return false;
			me.ev = e;
			form.baseline(e);
			form.update(e);
			refreshLive(e);
			meta();
			markDirty();
			if (form.isDirty()) schedulePreview();
			else {
				calc.textContent = '已保存';
				calc.className = 'ev-calc';
			}
			ui.toast('已保存（版本 ' + e.version + '）', 'ok');
			return true;
		} catch (err) {
			if (me.dead) return false;
			await saveError(err, body);
			return false;
		}
	}

	async function saveError(err, body) {
		if (err instanceof ApiError && err.status === 409) {
			const ok = await ui.confirm((err.message || '自评表已被他人修改') + '。是否重新载入最新内容？重新载入后，您在本页未保存的修改将丢失。', { okLabel: '重新载入' });
			if (ok) reload();
			return;
		}
		if (err instanceof ApiError && err.status === 403) {
			ui.toast(err.message || '当前状态下不能修改', 'error');
			return;
		}
		if (err instanceof ApiError && err.field) {
			const f = mapField(err.field, body);
			ui.fieldError(form.el, f, err.message);
			const target = form.el.querySelector('[data-field="' + f + '"]');
			if (target) target.focus();
			ui.toast('保存失败：' + err.message, 'error');
			return;
		}
		ui.toast('保存失败：' + (err.message || '未知错误'), 'error');
	}

	async function take(a, btn) {
		if (a.action === 'submit' && form.isDirty()) {
			const ok = await ui.busy(btn, () => save());
			if (!ok) return;
		}
		const cur = me.ev;
		const ans = await askAction(a, { what: '自评表', errors: cur.counts ? cur.counts.errors : 0, warnings: cur.counts ? cur.counts.warnings : 0 });
		if (!ans || me.dead) return;
		await ui.busy(btn, async () => {
			try {
				const e = await post('/api/evals/' + ev.id + '/transitions', { action: a.action, comment: ans.comment, version: me.ev.version });
				if (me.dead) return;
				ui.toast(a.label + '成功：' + (e.status ? e.status.label : ''), 'ok');
				if (ctx && ctx.refreshInbox) ctx.refreshInbox();
				me.ev = e;
				form.baseline(e);
				ui.clear(root);
				draw(root, params, ctx, me);
			} catch (err) {
				if (err instanceof ApiError && err.status === 409) {
					const ok = await ui.confirm((err.message || '自评表已被他人修改或状态已变化') + '。是否重新载入？', { okLabel: '重新载入' });
					if (ok) reload();
					return;
				}
				throw err;
			}
		});
	}

	async function reload() {
		try {
			const e = await get('/api/evals/' + ev.id);
			if (me.dead) return;
			me.ev = e;
			ui.clear(root);
			draw(root, params, ctx, me);
			ui.toast('已重新载入', 'info');
		} catch (err) {
			ui.toast('重新载入失败：' + err.message, 'error');
		}
	}

	const metaEl = h('div', { class: 'ev-meta' });
	function meta() {
		const e = me.ev;
		put(ui.clear(metaEl),
			h('span', null, '版本 ' + e.version),
			h('span', null, '更新于 ' + ui.dt(e.updated_at)),
			h('span', null, '规则方案 ' + (e.rules || '—')),
			h('span', { class: 'ev-meta-links' },
				h('a', { class: 'btn small', href: '#/evals/' + e.id + '/print' }, '打印视图'),
				h('a', { class: 'btn small', href: '#/projects/' + e.project_id }, '返回项目')));
	}
	meta();

	const page = h('div', { class: 'ev-page' + (editable ? ' ev-editable' : ' ev-readonly') },
		h('nav', { class: 'ev-crumbs', 'aria-label': '位置' },
			h('a', { href: '#/projects' }, '项目'), ' › ',
			h('a', { href: '#/projects/' + ev.project_id }, ev.title || '项目'), ' › ',
			h('span', { 'aria-current': 'page' }, '绩效自评')),
		h('div', { class: 'ev-bar' },
			h('div', { class: 'ev-bar-title' },
				h('h1', null, '项目支出绩效自评表'),
				h('span', { class: 'ev-year' }, ev.year ? '（' + ev.year + '年度）' : ''),
				ui.statusBadge(ev.status),
				!editable ? h('span', { class: 'ev-ro' }, '只读') : null),
			h('div', { class: 'ev-bar-live' }, liveTotal, liveGrade, liveCounts, calc),
			h('div', { class: 'ev-bar-actions' }, dirtyNote, buttons)),
		metaEl,
		ret ? returnBanner(ret) : null,
		!editable && ev.status && ev.status.key !== 'returned' && ev.status.key !== 'draft' && ctx && ctx.user && ctx.user.role === 'unit_filer'
			? h('p', { class: 'ev-note-box' }, '自评表已提交（' + ev.status.label + '），审核期间不能修改；如被退回，可修改后重新提交。') : null,
		form.el,
		editable ? h('p', { class: 'ev-keys' }, '键盘：Tab 下一格，Enter 下一行，Shift+Enter 上一行，Alt+Enter 在格内换行，Ctrl+S 保存。') : null,
		historySection(reviews));

	root.appendChild(page);
	refreshLive(ev);
	form.sizeAll();
	calc.textContent = editable ? '修改实际完成值后，得分、总分和等级即时计算' : '';
	if (ret && editable) {
		const first = form.fields[0];
		if (first) first.focus({ preventScroll: true });
	}
}
