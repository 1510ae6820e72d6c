/*
 * goals.js - 绩效目标申报: the indicator editor (#/projects/:id/goals).
 *
 * The table behaves like the Excel template users know: one row per
 * indicator (一级 / 二级 / 三级 / 年度指标值 / 度量单位 / 指标性质 / 分值),
 * repeated 一级/二级 names shown once like merged cells (every row stays
 * editable), Tab / Enter / arrows move between cells, Ctrl+Enter inserts a
 * row, Ctrl+Delete removes it, Alt+↑/↓ moves it, and a block copied from
 * Excel or WPS can be pasted anywhere (a header row is recognised and mapped,
 * blank merged cells inherit the value above). While typing, each target's
 * meaning comes from POST /api/targets/parse and the weights are added up
 * exactly (BigInt, 6 decimals) against the sums the rule set expects.
 *
 * Saving is PUT /api/projects/:id/goals with the version read; an error's
 * `field` (indicators[3].weight) is shown on its cell. The workflow buttons
 * come from the version's `transitions`. Reviewers, submitted versions and
 * older versions are shown read-only, with merged cells as in the form.
 */
import { get, post, put } from '../api.js';
import * as ui from '../ui.js';

const { h } = ui;

/* ---- columns -------------------------------------------------------------- */

const COLS = [
	{ key: 'level1', label: '一级指标', kind: 'area' },
	{ key: 'level2', label: '二级指标', kind: 'area' },
	{ key: 'name', label: '三级指标（指标名称）', kind: 'area' },
	{ key: 'target', label: '年度指标值', kind: 'area' },
	{ key: 'unit', label: '度量单位', kind: 'input' },
	{ key: 'nature', label: '指标性质', kind: 'input', title: '可不填：定量 / 定性' },
	{ key: 'weight', label: '分值', kind: 'input', title: '该项指标的分值（权重）' },
];
const COL_INDEX = Object.fromEntries(COLS.map((c, i) => [c.key, i]));
const C_NAME = COL_INDEX.name;
const CONTENT_KEYS = ['name', 'target', 'unit', 'nature', 'weight'];
const PARSE_KEYS = new Set(['target', 'unit', 'level2', 'name']);

/* Header cells of forms in use (申报表, 自评表, provincial variants) → column. */
const HEADER_WORDS = {
	level1: ['一级指标'],
	level2: ['二级指标'],
	name: ['三级指标', '指标名称', '三级指标名称', '三级指标（指标名称）', '指标内容', '绩效指标', '具体指标'],
	target: ['年度指标值', '指标值', '目标值', '年度目标值', '预期目标值', '指标目标值', '计划值',
		'预期指标值', '绩效指标值', '全年指标值', '年度目标', '目标值（年度指标值）'],
	unit: ['度量单位', '计量单位', '单位'],
	nature: ['指标性质', '指标类型', '性质', '指标属性'],
	weight: ['分值', '权重', '权重（分值）', '分值（权重）', '指标分值', '指标权重', '标准分值', '权重分值', '分数'],
};
/* Header cells that are known but not part of this table (skipped columns). */
const HEADER_OTHER = ['序号', '业绩值', '实际完成值', '全年实际值', '得分', '完成率', '偏差原因分析及改进措施',
	'偏差原因', '备注', '指标解释', '评价标准', '评分标准', '扣分原因'];

const GOAL_KINDS = [
	{ kind: 'annual', label: '年度总体目标', add: '添加一条年度目标' },
	{ kind: 'multi_year', label: '实施期目标', add: '添加一条实施期目标' },
];

const PARSE_DELAY = 300;
const PARSE_PARALLEL = 4;

/* ---- page state ----------------------------------------------------------- */

let S = null; /* the state of the current render; null when the page is not shown */

function newState(root, params, ctx) {
	return {
		root, ctx, id: params.id,
		latest: null, /* the answer of GET /api/projects/:id/goals */
		data: null, /* the answer shown (latest, or an older version) */
		gv: null, /* data.goal_version */
		viewingOld: false,
		adjusting: false,
		rows: [], goals: [], seq: 0,
		dirty: false, undo: [],
		focus: { row: 0, col: 0 }, tabStartCol: null, editStart: null,
		parseQueue: [], parsing: 0,
		expect: null,
		el: {},
		listeners: [],
		alive: true,
	};
}

function listen(target, type, fn, opts) {
	target.addEventListener(type, fn, opts);
	S.listeners.push(() => target.removeEventListener(type, fn, opts));
}

function cleanup(state) {
	if (!state) return;
	state.alive = false;
	for (const off of state.listeners) off();
	state.listeners = [];
	for (const r of state.rows) clearTimeout(r.ptimer);
}

/* ---- exact decimals (weights) --------------------------------------------- */

const SCALE = 1000000n;

function halfWidth(s) {
	return String(s ?? '')
		.replace(/[０-９]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
		.replace(/[．。]/g, '.').replace(/[－—−]/g, '-').replace(/＋/g, '+');
}

/* What the weight cell holds, as it is sent: trimmed, half-width, without "分". */
function normWeight(s) {
	return halfWidth(s).trim().replace(/\s+/g, '').replace(/分$/, '');
}

function parseDec(s) {
	const m = /^(\d+)(?:\.(\d{1,6}))?$/.exec(s);
	if (!m) return null;
	return BigInt(m[1]) * SCALE + BigInt((m[2] || '').padEnd(6, '0'));
}

function fmtDec(b) {
	const neg = b < 0n;
	const a = neg ? -b : b;
	const frac = (a % SCALE).toString().padStart(6, '0').replace(/0+$/, '');
	return (neg ? '-' : '') + (a / SCALE).toString() + (frac ? '.' + frac : '');
}

/* null when fine, else why the weight cannot be counted */
function weightProblem(raw) {
	const s = normWeight(raw);
	if (s === '') return null;
	if (parseDec(s) !== null) return null;
	if (/^-\d+(\.\d+)?$/.test(s)) return '分值不能为负数';
	if (/^\d+\.\d{7,}$/.test(s)) return '分值最多保留六位小数';
	return '分值须填写数字，如 10 或 12.5';
}

/* 一级指标 names as the rule set counts them: "产出" is 产出指标. */
function canonL1(s) {
	const t = String(s ?? '').trim().replace(/\s+/g, '');
	if (!t) return '';
	return t.endsWith('指标') ? t : t + '指标';
}

/* ---- rows ----------------------------------------------------------------- */

function blankRow(from) {
	return {
		key: ++S.seq,
		level1: from ? from.level1 : '', level2: from ? from.level2 : '',
		name: '', target: '', unit: '', nature: '', weight: '',
		meaning: null, pseq: 0, ptimer: null, err: {},
	};
}

function rowFromIndicator(ind) {
	const r = blankRow();
	for (const c of COLS) r[c.key] = ind[c.key] === null || ind[c.key] === undefined ? '' : String(ind[c.key]);
	r.meaning = ind.meaning || null;
	return r;
}

function isBlank(r) {
	return !CONTENT_KEYS.some((k) => String(r[k]).trim() !== '');
}

function cloneRows(rows) {
	return rows.map((r) => ({ ...r, err: {}, ptimer: null }));
}

/* ---- CSS ------------------------------------------------------------------ */

function ensureCss() {
	if (document.querySelector('link[href="/css/goals.css"]')) return;
	document.head.appendChild(h('link', { rel: 'stylesheet', href: '/css/goals.css' }));
}

/* ---- render --------------------------------------------------------------- */

export async function render(root, params, ctx) {
	cleanup(S);
	ensureCss();
	S = newState(root, params, ctx);
	const mine = S;
	root.classList.add('ge-page');
	root.appendChild(ui.spinner('正在加载绩效目标…'));
	let data;
	try {
		data = await get(`/api/projects/${encodeURIComponent(params.id)}/goals`);
	} catch (err) {
		if (S !== mine) return;
		ui.clear(root);
		root.appendChild(h('div', { class: 'ge-page-error' },
			h('h1', null, '绩效目标申报'),
			h('p', { class: 'notice ge-notice warn', role: 'alert' },
				err.status === 404 ? '项目不存在，或不在您的管理范围内。' : '加载失败：' + err.message),
			h('p', null, h('a', { href: '#/projects' }, '返回项目列表'))));
		return;
	}
	if (S !== mine) return;
	listen(document, 'keydown', onDocKey);
	listen(window, 'beforeunload', (e) => {
		if (S && S.dirty && isEditing()) {
			e.preventDefault();
			e.returnValue = '';
		}
	});
	show(data, { latest: true });
}

export async function leave() {
	if (S && S.dirty && isEditing()) {
		const ok = await ui.confirm('有未保存的修改，确定离开？');
		if (!ok) return false;
	}
	cleanup(S);
	if (S) S.root.classList.remove('ge-page');
	S = null;
	return true;
}

function isEditing() {
	return !!(S && S.data && !S.viewingOld && S.latest.can_save &&
		(!S.latest.save_needs_reason || S.adjusting));
}

/* Show an answer (the same object for GET, save, transition, one version). */
function show(data, { latest, keepFocus = false, rows = null } = {}) {
	if (latest) {
		S.latest = data;
		S.viewingOld = false;
	} else {
		S.viewingOld = !!(data.goal_version && S.latest.goal_version &&
			data.goal_version.id !== S.latest.goal_version.id);
	}
	S.data = data;
	S.gv = data.goal_version;
	const gv = S.gv;
	for (const r of S.rows) clearTimeout(r.ptimer);
	S.rows = rows || (gv ? gv.indicators.map(rowFromIndicator) : []);
	S.goals = gv ? gv.goals.map((g) => ({ kind: g.kind, text: g.text || '' })) : [];
	S.expect = gv ? gv.weights : data.weights || null;
	S.undo = [];
	S.dirty = false;
	if (!isEditing() || !latest) S.adjusting = false;
	if (isEditing()) {
		if (!S.rows.length) S.rows.push(blankRow());
		if (!S.goals.some((g) => g.kind === 'annual')) S.goals.unshift({ kind: 'annual', text: '' });
	}
	const focus = keepFocus ? { ...S.focus } : null;
	build();
	if (focus && isEditing()) focusCell(Math.min(focus.row, S.rows.length - 1), focus.col);
}

/* The sticky bars sit below the shell's header when that one stays on screen. */
function stickyTop() {
	const bar = document.querySelector('body > header');
	if (!bar) return 0;
	const pos = getComputedStyle(bar).position;
	return pos === 'sticky' || pos === 'fixed' ? Math.ceil(bar.getBoundingClientRect().height) : 0;
}

function build() {
	const root = S.root;
	ui.clear(root);
	root.style.setProperty('--ge-top', stickyTop() + 'px');
	S.el = {};
	const editing = isEditing();
	root.appendChild(buildHead());
	root.appendChild(S.el.bar = buildBar());
	S.el.banner = h('div', { class: 'ge-banners' });
	root.appendChild(S.el.banner);
	fillNotices();
	root.appendChild(buildGoals(editing));
	root.appendChild(buildIndicators(editing));
	const reviews = buildReviews();
	if (reviews) root.appendChild(reviews);
	updateDirty();
}

/* ---- head, action bar, notices -------------------------------------------- */

function buildHead() {
	const p = S.data.project;
	const gv = S.gv;
	const meta = [
		p.code, p.year + ' 年度', '实施单位：' + p.unit.name,
		p.dept ? '主管部门：' + p.dept.name : '直属财政局',
	];
	return h('div', { class: 'ge-head' },
		h('div', { class: 'ge-title' },
			h('h1', null, '绩效目标申报'),
			h('p', { class: 'ge-proj' },
				h('a', { href: `#/projects/${p.id}`, title: '打开项目页' }, p.name),
				meta.map((m) => h('span', { class: 'ge-meta' }, m)))),
		h('div', { class: 'ge-state' },
			gv ? ui.statusBadge(gv.state) : h('span', { class: 'badge st-none' }, '未填报'),
			gv ? h('span', { class: 'ge-ver' },
				`第 ${gv.number} 版 · ${gv.stage_label}`,
				h('span', { class: 'ge-when' }, `${gv.created_by} 创建，最后修改 ${ui.dt(gv.updated_at)}`)) : null));
}

function buildBar() {
	const editing = isEditing();
	const latest = S.latest;
	const gv = S.gv;
	const left = h('div', { class: 'ge-bar-left' });
	if (editing) {
		S.el.save = h('button', { type: 'button', class: 'btn primary', title: '保存（Ctrl+S）', onclick: (e) => save(e.currentTarget) }, '保存');
		S.el.dirtyNote = h('span', { class: 'ge-dirty', 'aria-live': 'polite' });
		left.append(S.el.save, S.el.dirtyNote);
		if (S.adjusting) left.append(h('button', { type: 'button', class: 'btn', onclick: cancelAdjust }, '取消调整'));
	} else if (!S.viewingOld && latest.can_save && latest.save_needs_reason) {
		left.append(h('button', { type: 'button', class: 'btn primary', title: '修改已审核的绩效目标，保存后生成调整版本',
			onclick: startAdjust }, '调整绩效目标'));
	}
	if (gv && !S.viewingOld) {
		for (const t of gv.transitions || gv.actions || []) {
			const danger = /return|reopen/.test(t.action);
			left.append(h('button', { type: 'button', class: danger ? 'btn danger' : 'btn',
				'data-action': t.action, onclick: (e) => transition(t, e.currentTarget) }, t.label));
		}
	}
	const right = h('div', { class: 'ge-bar-right' });
	const versions = latest.versions || [];
	if (versions.length) {
		const sel = h('select', { id: 'ge-version', class: 'ge-version', onchange: (e) => pickVersion(e.currentTarget) },
			versions.map((v, i) => h('option', { value: String(v.id), selected: gv && v.id === gv.id },
				`第 ${v.number} 版 · ${v.stage_label} · ${v.status_label}${i === 0 ? '（当前）' : ''}`)));
		right.append(h('label', { for: 'ge-version', class: 'ge-version-label' }, '版本'), sel);
	}
	right.append(h('a', { class: 'btn', href: `#/projects/${S.data.project.id}` }, '返回项目'));
	return h('div', { class: 'ge-bar', role: 'toolbar', 'aria-label': '绩效目标操作' }, left, right);
}

function fillNotices() {
	const box = S.el.banner;
	ui.clear(box);
	const gv = S.gv;
	const latest = S.latest;
	const user = S.ctx.user || {};
	if (S.viewingOld) {
		box.append(h('div', { class: 'notice ge-notice info' },
			`正在查看历史版本（第 ${gv.number} 版，${gv.stage_label}，${gv.state.label}），只读。`,
			h('button', { type: 'button', class: 'btn small', onclick: () => backToLatest() }, '返回当前版本')));
	}
	if (gv && gv.reason) box.append(h('div', { class: 'notice ge-notice info' }, '调整原因：' + gv.reason));
	if (gv && !S.viewingOld) {
		const back = (gv.reviews || []).filter((r) => /return|reopen/.test(r.action)).pop();
		if (back && gv.state.key === 'returned') {
			box.append(h('div', { class: 'notice ge-notice warn ge-return', role: 'note' },
				h('strong', null, `${back.action_label}意见：`), back.comment || '（无）',
				h('span', { class: 'ge-when' }, `${back.actor}，${ui.dt(back.created_at)}`)));
		}
	}
	if (!S.viewingOld && !isEditing()) {
		if (latest.can_save && latest.save_needs_reason) {
			box.append(h('div', { class: 'notice ge-notice info' },
				'本版本已经财政审核。需要修改时，点击“调整绩效目标”：保存后生成新的调整版本，并须填写调整原因；已审核的版本保持不变。'));
		} else if (user.role === 'unit_filer' && gv && !gv.state.editable && !gv.state.final) {
			box.append(h('div', { class: 'notice ge-notice info' }, `已${gv.state.label === '已提交' ? '提交' : '进入审核'}（${gv.state.label}），审核完成或退回前不能修改。`));
		} else if (!gv) {
			box.append(h('div', { class: 'notice ge-notice info' }, '该项目尚未填报绩效目标。'));
		}
	}
	if (S.adjusting && isEditing()) {
		box.append(h('div', { class: 'notice ge-notice info' },
			`正在调整已审核的绩效目标：保存时须填写调整原因，将生成第 ${(gv ? gv.number : 0) + 1} 版（调整）。`));
	}
}

function showBanner(kind, text, button) {
	const n = h('div', { class: 'notice ge-notice ' + kind, role: 'alert' }, text, button || null);
	S.el.banner.prepend(n);
	n.scrollIntoView({ block: 'nearest' });
	return n;
}

function updateDirty() {
	if (!S.el.dirtyNote) return;
	S.el.dirtyNote.textContent = S.dirty ? '有未保存的修改' : (S.gv ? '已保存' : '尚未保存');
	S.el.dirtyNote.classList.toggle('on', S.dirty);
}

function markDirty() {
	if (!S.dirty) {
		S.dirty = true;
		updateDirty();
	}
}

/* ---- goals (年度总体目标, 实施期目标) ------------------------------------- */

function buildGoals(editing) {
	const sec = h('section', { class: 'ge-goals', 'aria-labelledby': 'ge-goals-h' },
		h('h2', { id: 'ge-goals-h' }, '绩效目标'));
	S.el.goals = sec;
	for (const k of GOAL_KINDS) {
		const items = S.goals.map((g, i) => ({ g, i })).filter((x) => x.g.kind === k.kind);
		const box = h('div', { class: 'ge-goal-kind', 'data-kind': k.kind }, h('h3', null, k.label));
		if (editing) {
			const list = h('ol', { class: 'ge-goal-list' });
			items.forEach(({ g, i }, n) => {
				const area = h('textarea', { class: 'ge-goal-text', rows: 2, 'data-goal': String(i),
					'aria-label': `${k.label}第${n + 1}条`, maxlength: 4000 });
				area.value = g.text;
				area.addEventListener('input', () => {
					g.text = area.value;
					clearGoalError(area);
					markDirty();
				});
				list.append(h('li', { class: 'ge-goal-item' }, area,
					h('button', { type: 'button', class: 'btn small ge-goal-del', title: `删除这一条${k.label}`,
						'aria-label': `删除${k.label}第${n + 1}条`, onclick: () => removeGoal(i, k.kind) }, '删除')));
			});
			box.append(list, h('button', { type: 'button', class: 'btn small ge-goal-add', onclick: () => addGoal(k.kind) }, k.add));
		} else if (items.length) {
			box.append(h('ol', { class: 'ge-goal-list ro' }, items.map(({ g }) => h('li', null, g.text))));
		} else {
			box.append(h('p', { class: 'ge-empty' }, '未填写'));
		}
		sec.append(box);
	}
	return sec;
}

function rebuildGoals(focusKind) {
	const old = S.el.goals;
	const sec = buildGoals(true);
	old.replaceWith(sec);
	if (focusKind) {
		const areas = sec.querySelectorAll(`.ge-goal-kind[data-kind="${focusKind}"] textarea`);
		if (areas.length) areas[areas.length - 1].focus();
		else sec.querySelector(`.ge-goal-kind[data-kind="${focusKind}"] .ge-goal-add`)?.focus();
	}
}

function addGoal(kind) {
	let at = S.goals.length;
	if (kind === 'annual') {
		const lastAnnual = S.goals.map((g) => g.kind).lastIndexOf('annual');
		at = lastAnnual + 1;
	}
	S.goals.splice(at, 0, { kind, text: '' });
	markDirty();
	rebuildGoals(kind);
}

function removeGoal(i, kind) {
	S.goals.splice(i, 1);
	markDirty();
	rebuildGoals(kind);
}

function clearGoalError(area) {
	area.classList.remove('invalid');
	area.removeAttribute('aria-invalid');
	area.parentElement.querySelector('.ge-err')?.remove();
}

function showGoalError(i, message) {
	const area = S.el.goals.querySelector(`textarea[data-goal="${i}"]`);
	if (!area) return false;
	clearGoalError(area);
	const id = 'ge-goal-err-' + i;
	area.classList.add('invalid');
	area.setAttribute('aria-invalid', 'true');
	area.setAttribute('aria-describedby', id);
	area.insertAdjacentElement('afterend', h('div', { class: 'ge-err', id, role: 'alert' }, message));
	area.focus();
	return true;
}

/* ---- indicators ----------------------------------------------------------- */

function buildIndicators(editing) {
	const sec = h('section', { class: 'ge-ind', 'aria-labelledby': 'ge-ind-h' });
	const head = h('div', { class: 'ge-ind-head' }, h('h2', { id: 'ge-ind-h' }, '绩效指标'));
	sec.append(head);
	if (editing) {
		const tb = (label, title, fn, extra = {}) => h('button', { type: 'button', class: 'btn small', title, onclick: fn, ...extra }, label);
		S.el.undoBtn = tb('撤销', '撤销上一次插入、删除、移动或粘贴', undo, { disabled: true });
		head.append(h('div', { class: 'ge-tools', role: 'group', 'aria-label': '行操作' },
			tb('插入行', '在当前行下方插入一行（Ctrl+Enter）', () => toolInsert()),
			tb('删除行', '删除当前行（Ctrl+Delete）', () => toolDelete()),
			tb('上移', '当前行上移（Alt+↑）', () => toolMove(-1)),
			tb('下移', '当前行下移（Alt+↓）', () => toolMove(1)),
			S.el.undoBtn));
		sec.append(h('p', { class: 'ge-help' },
			'像 Excel 一样填写：Tab / Shift+Tab 左右移动，Enter / Shift+Enter 上下移动（最后一行按 Enter 新增一行），',
			'光标在文字开头或末尾时可用方向键移动；Ctrl+Enter 插入行，Ctrl+Delete 删除行，Alt+↑/↓ 调整顺序，Ctrl+S 保存。',
			'可直接粘贴从 Excel 或 WPS 复制的多行多列（含表头亦可，合并单元格留空的一级、二级指标沿用上一行）。'));
	}
	const table = h('table', { class: 'ge-table' + (editing ? ' editing' : ' ro'), 'aria-labelledby': 'ge-ind-h' },
		h('colgroup', null, h('col', { class: 'w-no' }), COLS.map((c) => h('col', { class: 'w-' + c.key })),
			editing ? h('col', { class: 'w-ops' }) : null),
		h('thead', null, h('tr', null,
			h('th', { scope: 'col', class: 'ge-no' }, '序号'),
			COLS.map((c) => h('th', { scope: 'col', title: c.title || null }, c.label)),
			editing ? h('th', { scope: 'col', class: 'ge-ops' }, h('span', { class: 'sr-only' }, '行操作')) : null)));
	S.el.table = table;
	S.el.tbody = h('tbody');
	table.append(S.el.tbody);
	if (editing) {
		S.el.tbody.addEventListener('keydown', onCellKey);
		S.el.tbody.addEventListener('input', onCellInput);
		S.el.tbody.addEventListener('focusin', onCellFocus);
		S.el.tbody.addEventListener('mousedown', () => { S.tabStartCol = null; });
		S.el.tbody.addEventListener('paste', onPaste);
		renderBody();
	} else {
		renderReadOnly();
	}
	sec.append(h('div', { class: 'ge-table-wrap' }, table));
	S.el.sums = h('div', { class: 'ge-sums', 'aria-live': 'polite', 'aria-label': '分值合计' });
	sec.append(S.el.sums);
	updateSums();
	return sec;
}

/* ---- editable body -------------------------------------------------------- */

function renderBody() {
	const tb = S.el.tbody;
	ui.clear(tb);
	S.rows.forEach((row, r) => tb.append(buildRow(row, r)));
	updateGroups();
	S.el.undoBtn && (S.el.undoBtn.disabled = S.undo.length === 0);
}

function buildRow(row, r) {
	const tr = h('tr', { 'data-key': String(row.key) });
	tr.append(h('td', { class: 'ge-no' }, String(r + 1)));
	COLS.forEach((c, ci) => {
		const attrs = {
			class: 'ge-in', 'data-row': String(r), 'data-col': String(ci), spellcheck: 'false',
			'aria-label': `第${r + 1}行 ${c.label}`,
		};
		let el;
		if (c.kind === 'area') {
			el = h('textarea', { ...attrs, rows: 1 });
		} else {
			el = h('input', { ...attrs, type: 'text', autocomplete: 'off',
				inputmode: c.key === 'weight' ? 'decimal' : null });
		}
		el.value = row[c.key];
		const td = h('td', { class: 'ge-c ge-c-' + c.key, 'data-field': `indicators[${r}].${c.key}` }, el);
		if (c.key === 'target') td.append(h('div', { class: 'ge-meaning', id: `ge-m-${row.key}` }));
		tr.append(td);
	});
	const op = (label, title, fn) => h('button', { type: 'button', class: 'ge-op', tabindex: '-1', title, 'aria-label': `${title}（第${r + 1}行）`,
		onclick: () => fn() }, label);
	tr.append(h('td', { class: 'ge-ops' },
		op('↑', '上移', () => moveRow(rowIndexOf(row), -1, S.focus.col)),
		op('↓', '下移', () => moveRow(rowIndexOf(row), 1, S.focus.col)),
		op('+', '在下方插入行', () => insertRow(rowIndexOf(row) + 1, row, C_NAME)),
		op('×', '删除此行', () => deleteRow(rowIndexOf(row), S.focus.col))));
	showMeaning(row, tr);
	for (const c of COLS) showCellNote(row, c.key, tr);
	return tr;
}

function rowIndexOf(row) {
	return S.rows.indexOf(row);
}

function trOf(row) {
	return S.el.tbody && S.el.tbody.querySelector(`tr[data-key="${row.key}"]`);
}

function cellEl(r, c) {
	return S.el.tbody.querySelector(`.ge-in[data-row="${r}"][data-col="${c}"]`);
}

/* Merged-cell look: a repeated 一级 (and 二级 under it) is shown once. */
function updateGroups() {
	const trs = S.el.tbody.children;
	let prev = null;
	S.rows.forEach((row, r) => {
		const tr = trs[r];
		if (!tr) return;
		const l1 = row.level1.trim();
		const l2 = row.level2.trim();
		const cont1 = !!(prev && l1 && l1 === prev.level1.trim());
		const cont2 = !!(cont1 && l2 && l2 === prev.level2.trim());
		tr.classList.toggle('ge-g1', !cont1 && r > 0);
		tr.classList.toggle('ge-g2', cont1 && !cont2);
		tr.children[1 + COL_INDEX.level1].classList.toggle('ge-cont', cont1);
		tr.children[1 + COL_INDEX.level2].classList.toggle('ge-cont', cont2);
		prev = row;
	});
}

/* The note under a cell: an API error (red) or a local hint (weight). */
function showCellNote(row, key, tr) {
	tr = tr || trOf(row);
	if (!tr) return;
	const td = tr.children[1 + COL_INDEX[key]];
	const input = td.querySelector('.ge-in');
	td.querySelector('.ge-err')?.remove();
	const msg = row.err[key] || (key === 'weight' ? weightProblem(row.weight) : null);
	td.classList.toggle('invalid', !!msg);
	if (!msg) {
		input.removeAttribute('aria-invalid');
		input.removeAttribute('aria-describedby');
		return;
	}
	const id = `ge-e-${row.key}-${key}`;
	input.setAttribute('aria-invalid', 'true');
	input.setAttribute('aria-describedby', id);
	td.append(h('div', { class: 'ge-err' + (row.err[key] ? ' api' : ''), id, role: row.err[key] ? 'alert' : null }, msg));
}

function showMeaning(row, tr) {
	tr = tr || trOf(row);
	const box = tr ? tr.querySelector('.ge-meaning') : null;
	if (!box) return;
	const m = row.meaning;
	box.className = 'ge-meaning';
	box.textContent = '';
	if (!m) {
		if (!isBlank(row) && !row.target.trim()) {
			box.textContent = '未填写指标值';
			box.classList.add('muted');
		}
		return;
	}
	box.textContent = m.text;
	if (m.kind === 'unparsed') box.classList.add('warn');
	else if (m.kind === 'empty') box.classList.add('muted');
	else if (m.kind === 'word' && m.tier === null) box.classList.add('hint');
	else if (m.comparator_implied) box.classList.add('hint');
	if (row.ptimer || row.pending) box.classList.add('pending');
}

/* ---- focus and keys ------------------------------------------------------- */

function focusCell(r, c, { select = true } = {}) {
	r = Math.max(0, Math.min(r, S.rows.length - 1));
	c = Math.max(0, Math.min(c, COLS.length - 1));
	const el = cellEl(r, c);
	if (!el) return;
	el.focus();
	if (select) el.select();
	S.focus = { row: r, col: c };
}

function onCellFocus(e) {
	const el = e.target;
	if (!el.classList || !el.classList.contains('ge-in')) return;
	const r = +el.dataset.row;
	const c = +el.dataset.col;
	S.focus = { row: r, col: c };
	S.editStart = { row: S.rows[r], key: COLS[c].key, value: el.value };
	for (const tr of S.el.tbody.querySelectorAll('tr.ge-cur')) tr.classList.remove('ge-cur');
	el.closest('tr').classList.add('ge-cur');
}

function caretAtStart(el) {
	return el.selectionStart === 0 && el.selectionEnd === 0;
}
function caretAtEnd(el) {
	const n = el.value.length;
	return el.selectionStart === n && el.selectionEnd === n;
}
function allSelected(el) {
	return el.selectionStart === 0 && el.selectionEnd === el.value.length;
}

function onCellKey(e) {
	const el = e.target;
	if (!el.classList.contains('ge-in')) return;
	if (e.isComposing || e.keyCode === 229) return; /* an IME is composing Chinese */
	const r = +el.dataset.row;
	const c = +el.dataset.col;
	const last = S.rows.length - 1;
	const ctrl = e.ctrlKey || e.metaKey;
	const key = e.key;
	if (key === 'Tab' && !ctrl && !e.altKey) {
		if (e.shiftKey) {
			if (c > 0) go(e, r, c - 1);
			else if (r > 0) go(e, r - 1, COLS.length - 1);
			S.tabStartCol = null;
			return;
		}
		if (S.tabStartCol === null) S.tabStartCol = c;
		if (c < COLS.length - 1) return go(e, r, c + 1, true);
		if (r < last) return go(e, r + 1, 0, true);
		if (!isBlank(S.rows[r])) {
			e.preventDefault();
			insertRow(r + 1, S.rows[r], 0);
			S.tabStartCol = 0;
			return;
		}
		S.tabStartCol = null;
		return; /* leave the table */
	}
	if (key === 'Enter') {
		if (e.altKey) return;
		e.preventDefault();
		if (ctrl) {
			S.tabStartCol = null;
			if (e.shiftKey) insertRow(r, S.rows[r], C_NAME);
			else insertRow(r + 1, S.rows[r], C_NAME);
			return;
		}
		const col = S.tabStartCol !== null ? S.tabStartCol : c;
		S.tabStartCol = null;
		if (e.shiftKey) {
			if (r > 0) focusCell(r - 1, c);
			return;
		}
		if (r < last) focusCell(r + 1, col);
		else if (!isBlank(S.rows[r])) insertRow(r + 1, S.rows[r], col);
		return;
	}
	if ((key === 'ArrowUp' || key === 'ArrowDown') && !ctrl && !e.shiftKey) {
		const d = key === 'ArrowUp' ? -1 : 1;
		S.tabStartCol = null;
		if (e.altKey) {
			e.preventDefault();
			moveRow(r, d, c);
			return;
		}
		if (r + d >= 0 && r + d <= last) go(e, r + d, c);
		return;
	}
	if ((key === 'ArrowLeft' || key === 'ArrowRight') && !ctrl && !e.shiftKey && !e.altKey) {
		S.tabStartCol = null;
		const whole = allSelected(el);
		if (key === 'ArrowLeft' && c > 0 && (caretAtStart(el) || whole)) go(e, r, c - 1);
		else if (key === 'ArrowRight' && c < COLS.length - 1 && (caretAtEnd(el) || whole)) go(e, r, c + 1);
		return;
	}
	if (key === 'Delete' && ctrl) {
		e.preventDefault();
		S.tabStartCol = null;
		deleteRow(r, c);
		return;
	}
	if (key === 'Escape' && S.editStart && S.editStart.row === S.rows[r] && S.editStart.value !== el.value) {
		e.preventDefault();
		e.stopPropagation();
		el.value = S.editStart.value;
		el.dispatchEvent(new Event('input', { bubbles: true }));
		el.select();
	}
}

function go(e, r, c, keepTab = false) {
	e.preventDefault();
	const t = S.tabStartCol;
	focusCell(r, c);
	if (keepTab) S.tabStartCol = t;
}

function onDocKey(e) {
	if (!S || !S.root.isConnected) return;
	if ((e.ctrlKey || e.metaKey) && !e.altKey && (e.key === 's' || e.key === 'S')) {
		e.preventDefault();
		if (isEditing() && S.el.save && !S.el.save.disabled && !document.querySelector('dialog[open]')) save(S.el.save);
	}
}

/* ---- editing -------------------------------------------------------------- */

function onCellInput(e) {
	const el = e.target;
	if (!el.classList.contains('ge-in')) return;
	if (/[\r\n]/.test(el.value)) {
		const pos = el.selectionStart;
		el.value = el.value.replace(/[\r\n]+/g, '');
		el.setSelectionRange(pos - 1, pos - 1);
	}
	const row = S.rows[+el.dataset.row];
	const key = COLS[+el.dataset.col].key;
	if (!row) return;
	row[key] = el.value;
	delete row.err[key];
	showCellNote(row, key);
	markDirty();
	if (key === 'level1' || key === 'level2') updateGroups();
	if (key === 'weight' || key === 'level1') updateSums();
	if (PARSE_KEYS.has(key)) scheduleParse(row);
	else if (!row.target.trim()) showMeaning(row);
}

function snapshot() {
	S.undo.push({ rows: cloneRows(S.rows), focus: { ...S.focus } });
	if (S.undo.length > 50) S.undo.shift();
}

function undo() {
	const snap = S.undo.pop();
	if (!snap) return;
	for (const r of S.rows) clearTimeout(r.ptimer);
	S.rows = snap.rows;
	markDirty();
	renderBody();
	updateSums();
	for (const r of S.rows) if (r.pending) scheduleParse(r, 0);
	focusCell(snap.focus.row, snap.focus.col);
}

function afterStructure(r, c) {
	markDirty();
	renderBody();
	updateSums();
	focusCell(r, c);
}

function insertRow(at, from, col) {
	snapshot();
	S.rows.splice(at, 0, blankRow(from));
	afterStructure(at, col);
}

function deleteRow(r, col) {
	if (r < 0 || r >= S.rows.length) return;
	snapshot();
	const [gone] = S.rows.splice(r, 1);
	clearTimeout(gone.ptimer);
	if (!S.rows.length) S.rows.push(blankRow());
	afterStructure(Math.min(r, S.rows.length - 1), col);
	if (!isBlank(gone)) ui.toast(`已删除第 ${r + 1} 行“${gone.name.trim() || gone.target.trim()}”，可点“撤销”恢复`, 'info');
}

function moveRow(r, d, col) {
	const t = r + d;
	if (r < 0 || t < 0 || t >= S.rows.length) return;
	snapshot();
	const [row] = S.rows.splice(r, 1);
	S.rows.splice(t, 0, row);
	afterStructure(t, col);
}

function toolRow() {
	return Math.min(S.focus.row, S.rows.length - 1);
}
function toolInsert() {
	const r = toolRow();
	insertRow(r + 1, S.rows[r], C_NAME);
}
function toolDelete() {
	deleteRow(toolRow(), S.focus.col);
}
function toolMove(d) {
	const r = toolRow();
	if (r + d < 0 || r + d >= S.rows.length) {
		focusCell(r, S.focus.col);
		return;
	}
	moveRow(r, d, S.focus.col);
}

/* ---- target meaning (POST /api/targets/parse) ----------------------------- */

function scheduleParse(row, delay = PARSE_DELAY) {
	clearTimeout(row.ptimer);
	row.pending = true;
	const box = trOf(row)?.querySelector('.ge-meaning');
	if (box) box.classList.add('pending');
	const mine = S;
	row.ptimer = setTimeout(() => {
		row.ptimer = null;
		if (S !== mine) return;
		S.parseQueue = S.parseQueue.filter((x) => x !== row);
		S.parseQueue.push(row);
		pumpParse();
	}, delay);
}

function pumpParse() {
	const mine = S;
	while (S.parsing < PARSE_PARALLEL && S.parseQueue.length) {
		const row = S.parseQueue.shift();
		S.parsing++;
		parseOne(row).finally(() => {
			if (S !== mine) return;
			S.parsing--;
			pumpParse();
		});
	}
}

async function parseOne(row) {
	const mine = S;
	const seq = ++row.pseq;
	const target = row.target.trim();
	let meaning = null;
	if (target) {
		const opt = (s) => (String(s).trim() ? String(s).trim() : null);
		try {
			const res = await post('/api/targets/parse', {
				target, unit: opt(row.unit), level2: opt(row.level2), name: opt(row.name),
			});
			meaning = res.meaning;
		} catch (err) {
			meaning = { kind: 'unparsed', text: '无法解析：' + err.message };
		}
	}
	if (S !== mine || seq !== row.pseq) return;
	row.meaning = meaning;
	row.pending = false;
	showMeaning(row);
}

/* ---- weight sums ---------------------------------------------------------- */

function updateSums() {
	const box = S.el.sums;
	if (!box) return;
	ui.clear(box);
	const editing = isEditing();
	const sums = new Map();
	let total = 0n;
	const bad = [];
	S.rows.forEach((row, r) => {
		if (editing && isBlank(row)) return;
		const s = normWeight(row.weight);
		if (s === '') return;
		const v = parseDec(s);
		if (v === null) {
			bad.push(r + 1);
			return;
		}
		const k = canonL1(row.level1) || '（未填一级指标）';
		sums.set(k, (sums.get(k) || 0n) + v);
		total += v;
	});
	const exp = S.expect;
	const order = [];
	const expected = new Map();
	if (exp) {
		for (const e of exp.by_level1 || []) {
			const k = canonL1(e.level1);
			if (!order.includes(k)) order.push(k);
			expected.set(k, e.expected);
		}
	}
	for (const k of sums.keys()) if (!order.includes(k)) order.push(k);
	const chip = (label, sum, exp, cls = '') => {
		let state = 'free';
		let diff = null;
		if (exp !== null && exp !== undefined) {
			const e = parseDec(String(exp));
			if (e !== null) {
				state = sum === e ? 'ok' : 'bad';
				if (sum !== e) diff = sum - e;
			}
		}
		return h('span', { class: `ge-sum ${state} ${cls}`.trim(), 'data-level1': label },
			h('span', { class: 'ge-sum-label' }, label),
			h('span', { class: 'ge-sum-val' }, fmtDec(sum) + (state === 'free' ? '' : ' / ' + fmtDec(parseDec(String(exp))))),
			state === 'ok' ? h('span', { class: 'ge-sum-diff', 'aria-label': '相符' }, '✓') : null,
			diff !== null ? h('span', { class: 'ge-sum-diff' }, diff > 0n ? `多 ${fmtDec(diff)}` : `差 ${fmtDec(-diff)}`) : null,
			state === 'free' && exp === null && expected.has(label) ? h('span', { class: 'ge-sum-diff' }, '不限') : null);
	};
	box.append(h('span', { class: 'ge-sums-title', title: '不含预算执行率指标的分值' }, '分值合计'));
	for (const k of order) box.append(chip(k, sums.get(k) || 0n, expected.has(k) ? expected.get(k) : undefined));
	box.append(chip('合计', total, exp ? exp.expected_total : undefined, 'total'));
	if (!exp) box.append(h('span', { class: 'ge-sums-note' }, '首次保存后按规则方案核对各一级指标应有的分值'));
	if (bad.length) box.append(h('span', { class: 'ge-sums-note warn' }, `第 ${bad.join('、')} 行的分值无效，未计入`));
}

/* ---- paste from Excel / WPS ----------------------------------------------- */

/* Excel's text/plain: cells by \t, rows by \r\n or \n; a cell holding a tab,
 * a newline or a quote is quoted ("…", quotes doubled). */
export function parseTsv(text) {
	const rows = [];
	let row = [];
	let cell = '';
	let start = true;
	let i = 0;
	const n = text.length;
	while (i < n) {
		const ch = text[i];
		if (start && ch === '"') {
			let j = i + 1;
			let val = '';
			let closed = false;
			while (j < n) {
				if (text[j] === '"') {
					if (text[j + 1] === '"') {
						val += '"';
						j += 2;
						continue;
					}
					closed = true;
					j++;
					break;
				}
				val += text[j++];
			}
			if (closed && (j >= n || text[j] === '\t' || text[j] === '\n' || text[j] === '\r')) {
				cell = val;
				i = j;
				start = false;
				continue;
			}
		}
		if (ch === '\t') {
			row.push(cell);
			cell = '';
			start = true;
			i++;
		} else if (ch === '\r' || ch === '\n') {
			row.push(cell);
			rows.push(row);
			row = [];
			cell = '';
			start = true;
			i += ch === '\r' && text[i + 1] === '\n' ? 2 : 1;
		} else {
			cell += ch;
			start = false;
			i++;
		}
	}
	if (cell !== '' || row.length) {
		row.push(cell);
		rows.push(row);
	}
	return rows;
}

/* A WPS / Excel text/html table → rows of cell texts (row and column spans
 * spread as blanks, which then inherit like merged cells). */
export function parseHtmlTable(html) {
	const doc = new DOMParser().parseFromString(html, 'text/html');
	const table = doc.querySelector('table');
	if (!table) return null;
	const grid = [];
	Array.from(table.rows).forEach((tr, r) => {
		grid[r] = grid[r] || [];
		let c = 0;
		for (const cell of Array.from(tr.cells)) {
			while (grid[r][c] !== undefined) c++;
			for (const br of cell.querySelectorAll('br')) br.replaceWith('\n');
			const text = cell.textContent;
			const rs = Math.max(1, Math.min(cell.rowSpan || 1, 500));
			const cs = Math.max(1, Math.min(cell.colSpan || 1, 50));
			for (let dr = 0; dr < rs; dr++) {
				grid[r + dr] = grid[r + dr] || [];
				for (let dc = 0; dc < cs; dc++) grid[r + dr][c + dc] = dr === 0 && dc === 0 ? text : '';
			}
			c += cs;
		}
	});
	return grid.map((row) => Array.from(row || [], (v) => (v === undefined ? '' : v)));
}

const CJK = /[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef\u3000-\u303f]/;

/* A cell's text on one line: lines joined (without a space between Chinese). */
function cleanCell(s) {
	const parts = String(s).replace(/\u00a0/g, ' ').split(/\r\n|\r|\n/).map((p) => p.trim()).filter((p) => p);
	let out = '';
	for (const p of parts) {
		if (out && !CJK.test(out[out.length - 1]) && !CJK.test(p[0])) out += ' ';
		out += p;
	}
	return out.trim();
}

function headerKey(s) {
	const t = cleanCell(s).replace(/\s+/g, '');
	if (!t) return undefined;
	const stripped = t.replace(/[（(][^）)]*[）)]/g, '');
	for (const [key, words] of Object.entries(HEADER_WORDS)) {
		if (words.includes(t) || words.includes(stripped)) return key;
	}
	if (HEADER_OTHER.includes(t) || HEADER_OTHER.includes(stripped)) return null;
	return undefined;
}

/* Find the header row among the first rows: most of its cells are column
 * names (at least two of ours). Answers {index, map} or null. */
function findHeader(grid) {
	for (let i = 0; i < Math.min(3, grid.length); i++) {
		const cells = grid[i];
		const filled = cells.filter((c) => cleanCell(c) !== '');
		const keys = cells.map(headerKey);
		const ours = keys.filter((k) => k);
		const known = keys.filter((k) => k !== undefined);
		if (ours.length >= 2 && known.length * 2 >= filled.length && new Set(ours).size === ours.length) {
			return { index: i, map: keys.map((k) => k || null) };
		}
	}
	return null;
}

function onPaste(e) {
	const el = e.target;
	if (!el.classList || !el.classList.contains('ge-in')) return;
	const cd = e.clipboardData;
	if (!cd) return;
	const text = cd.getData('text/plain');
	let grid = null;
	if (text) {
		if (!/[\t\r\n]/.test(text)) return; /* one value: the browser pastes it */
		grid = parseTsv(text);
	} else {
		const html = cd.getData('text/html');
		if (html) grid = parseHtmlTable(html);
		if (!grid) return;
	}
	e.preventDefault();
	pasteGrid(grid, +el.dataset.row, +el.dataset.col);
}

export function pasteGrid(grid, startRow, startCol) {
	let rows = grid.filter((r) => r.some((c) => cleanCell(c) !== ''));
	if (!rows.length) return;
	const header = findHeader(rows);
	let map;
	let skipped = 0;
	if (header) {
		skipped = header.index + 1;
		rows = rows.slice(header.index + 1);
		map = header.map;
	} else {
		const width = Math.max(...rows.map((r) => r.length));
		map = Array.from({ length: width }, (_, j) => (COLS[startCol + j] ? COLS[startCol + j].key : null));
	}
	const dropped = map.length - map.filter((k) => k).length;
	if (!rows.length) {
		ui.toast('粘贴的内容只有表头，没有指标行', 'info');
		return;
	}
	snapshot();
	const covers = new Set(map.filter((k) => k));
	const touched = [];
	let r = startRow;
	for (const data of rows) {
		if (r >= S.rows.length) S.rows.push(blankRow());
		const row = S.rows[r];
		map.forEach((key, j) => {
			if (!key) return;
			let v = cleanCell(data[j] ?? '');
			if (key === 'weight') v = normWeight(v);
			row[key] = v;
			delete row.err[key];
		});
		const above = r > 0 ? S.rows[r - 1] : null;
		if (above && !isBlank(row)) {
			if (!row.level1.trim() && above.level1.trim()) row.level1 = above.level1;
			if (covers.has('level2') && !row.level2 && above.level2.trim() &&
				canonL1(row.level1) === canonL1(above.level1)) row.level2 = above.level2;
		}
		row.meaning = null;
		touched.push(row);
		r++;
	}
	markDirty();
	renderBody();
	updateSums();
	for (const row of touched) scheduleParse(row, 0);
	for (const row of touched) {
		const tr = trOf(row);
		if (!tr) continue;
		for (const key of covers) tr.children[1 + COL_INDEX[key]].classList.add('ge-pasted');
	}
	setTimeout(() => {
		for (const td of S && S.el.tbody ? S.el.tbody.querySelectorAll('.ge-pasted') : []) td.classList.remove('ge-pasted');
	}, 1600);
	focusCell(startRow, header ? COL_INDEX[map.find((k) => k)] : startCol);
	let msg = `已粘贴 ${touched.length} 行`;
	if (skipped) msg += '（已识别并跳过表头）';
	if (dropped && header) msg += `，${dropped} 列不属于本表，已忽略`;
	else if (dropped) msg += `，超出表格的 ${dropped} 列已忽略`;
	ui.toast(msg, 'ok');
}

/* ---- read-only table (merged cells as in the form) ------------------------ */

function renderReadOnly() {
	const tb = S.el.tbody;
	ui.clear(tb);
	const rows = S.rows;
	if (!rows.length) {
		tb.append(h('tr', { class: 'empty' }, h('td', { colspan: COLS.length + 1 }, '暂无绩效指标')));
		return;
	}
	const span = (i, key, parentKey) => {
		const v = rows[i][key].trim();
		if (!v) return 1;
		let n = 1;
		while (i + n < rows.length && rows[i + n][key].trim() === v &&
			(!parentKey || rows[i + n][parentKey].trim() === rows[i][parentKey].trim())) n++;
		return n;
	};
	let skip1 = 0;
	let skip2 = 0;
	rows.forEach((row, i) => {
		const tr = h('tr', { 'data-key': String(row.key), class: skip1 === 0 && i > 0 ? 'ge-g1' : null });
		tr.append(h('td', { class: 'ge-no' }, String(i + 1)));
		if (skip1 > 0) skip1--;
		else {
			const n = span(i, 'level1');
			tr.append(h('td', { class: 'ge-c ge-c-level1', rowspan: n > 1 ? String(n) : null }, row.level1 || ''));
			skip1 = n - 1;
			skip2 = 0;
		}
		if (skip2 > 0) skip2--;
		else {
			const n = Math.min(span(i, 'level2', 'level1'), skip1 + 1);
			tr.append(h('td', { class: 'ge-c ge-c-level2', rowspan: n > 1 ? String(n) : null }, row.level2 || ''));
			skip2 = n - 1;
		}
		for (const key of ['name', 'target', 'unit', 'nature', 'weight']) {
			const td = h('td', { class: 'ge-c ge-c-' + key }, row[key] || '');
			if (key === 'target') td.append(h('div', { class: 'ge-meaning' }));
			tr.append(td);
		}
		tb.append(tr);
		showMeaning(row, tr);
	});
}

/* ---- reviews -------------------------------------------------------------- */

function buildReviews() {
	const list = (S.gv && S.gv.reviews) || [];
	if (!list.length) return null;
	return h('section', { class: 'ge-reviews', 'aria-labelledby': 'ge-rev-h' },
		h('h2', { id: 'ge-rev-h' }, '审核记录'),
		ui.table([
			{ key: 'at', label: '时间', render: (r) => ui.dt(r.created_at) },
			{ key: 'actor', label: '操作人', render: (r) => r.actor },
			{ key: 'action', label: '操作', render: (r) => r.action_label },
			{ key: 'status', label: '状态', render: (r) => `${r.from_label} → ${r.to_label}` },
			{ key: 'comment', label: '意见', class: 'ge-rev-comment', render: (r) => r.comment || '—' },
		], list.slice().reverse()));
}

/* ---- save ----------------------------------------------------------------- */

function clearAllErrors() {
	for (const row of S.rows) {
		if (Object.keys(row.err).length) {
			row.err = {};
			for (const c of COLS) showCellNote(row, c.key);
		}
	}
	for (const area of S.el.goals.querySelectorAll('textarea.invalid')) clearGoalError(area);
	for (const n of S.el.banner.querySelectorAll('.ge-save-error')) n.remove();
}

async function save(button) {
	if (!isEditing()) return false;
	const active = document.activeElement;
	const fromCell = !!(active && active.classList && active.classList.contains('ge-in'));
	const fromGoal = active && active.dataset && active.dataset.goal !== undefined ? active.dataset.goal : null;
	let reason = null;
	if (S.latest.save_needs_reason) {
		reason = await ui.prompt('调整原因', { required: true, label: '请填写调整绩效目标的原因（将随调整版本提交审核）' });
		if (reason === null) return false;
	}
	const sentRows = [];
	const indicators = [];
	S.rows.forEach((row, i) => {
		if (isBlank(row)) return;
		sentRows.push(i);
		const t = (s) => (String(s).trim() ? String(s).trim() : null);
		const w = normWeight(row.weight);
		indicators.push({
			level1: row.level1.trim(), level2: t(row.level2), name: row.name.trim(),
			target: t(row.target), unit: t(row.unit), nature: t(row.nature), weight: w === '' ? null : w,
		});
	});
	const sentGoals = [];
	const goals = [];
	S.goals.forEach((g, i) => {
		if (!g.text.trim()) return;
		sentGoals.push(i);
		goals.push({ kind: g.kind, text: g.text.trim() });
	});
	const body = { version: S.gv ? S.gv.version : 0, goals, indicators };
	if (reason !== null) body.reason = reason;
	const mine = S;
	let ok = false;
	await ui.busy(button || S.el.save, async () => {
		clearAllErrors();
		try {
			const data = await put(`/api/projects/${S.data.project.id}/goals`, body);
			if (S !== mine) return;
			/* keep the rows as they are on screen (blank ones too), with what
			 * the server made of them: trimmed texts and each target's meaning */
			const kept = S.rows;
			(data.goal_version ? data.goal_version.indicators : []).forEach((ind, i) => {
				const row = kept[sentRows[i]];
				if (!row) return;
				for (const c of COLS) row[c.key] = ind[c.key] === null || ind[c.key] === undefined ? '' : String(ind[c.key]);
				clearTimeout(row.ptimer);
				row.ptimer = null;
				row.pending = false;
				row.pseq++;
				row.meaning = ind.meaning || null;
			});
			S.adjusting = false;
			show(data, { latest: true, keepFocus: fromCell, rows: kept });
			if (fromGoal !== null) S.el.goals.querySelector(`textarea[data-goal="${fromGoal}"]`)?.focus();
			else if (!fromCell && S.el.save) S.el.save.focus();
			ui.toast(reason !== null ? `已保存为第 ${data.goal_version.number} 版（调整）` : '已保存', 'ok');
			if (S.ctx.refreshInbox) S.ctx.refreshInbox();
			ok = true;
		} catch (err) {
			if (S !== mine) return;
			saveError(err, sentRows, sentGoals);
		}
	});
	return ok;
}

function saveError(err, sentRows, sentGoals) {
	const f = err.field || '';
	let m = /^indicators\[(\d+)\]\.(\w+)$/.exec(f);
	if (m && sentRows[+m[1]] !== undefined && COL_INDEX[m[2]] !== undefined) {
		const r = sentRows[+m[1]];
		const row = S.rows[r];
		const msg = err.message.replace(/^第\d+项指标[：:]/, '');
		row.err[m[2]] = msg;
		showCellNote(row, m[2]);
		focusCell(r, COL_INDEX[m[2]]);
		saveBanner(`保存失败：第 ${r + 1} 行“${COLS[COL_INDEX[m[2]]].label}”：${msg}`);
		return;
	}
	m = /^goals\[(\d+)\]\.(\w+)$/.exec(f);
	if (m && sentGoals[+m[1]] !== undefined) {
		showGoalError(sentGoals[+m[1]], err.message);
		saveBanner('保存失败：' + err.message);
		return;
	}
	if (err.status === 409) {
		const n = showBanner('warn ge-save-error ge-conflict',
			f === 'version'
				? '保存失败：' + err.message.replace(/[，,]?\s*请刷新后重试[。.]?$/, '') +
					'。本页的修改没有保存；点“重新加载”载入最新内容（本页未保存的修改将丢失）。'
				: '保存失败：' + err.message,
			h('button', { type: 'button', class: 'btn small', onclick: () => reload(true) }, '重新加载'));
		n.querySelector('button').focus();
		return;
	}
	saveBanner('保存失败：' + err.message);
}

function saveBanner(text) {
	showBanner('error ge-save-error', text);
}

async function reload(discard) {
	if (!discard && S.dirty && isEditing() && !(await ui.confirm('有未保存的修改，重新加载将丢失这些修改。确定重新加载？'))) return;
	const mine = S;
	try {
		const data = await get(`/api/projects/${S.data.project.id}/goals`);
		if (S !== mine) return;
		S.adjusting = false;
		show(data, { latest: true });
		ui.toast('已重新加载', 'info');
	} catch (err) {
		ui.toast('加载失败：' + err.message, 'error');
	}
}

async function cancelAdjust() {
	if (S.dirty && !(await ui.confirm('放弃这次调整？本页未保存的修改将丢失。'))) return;
	S.adjusting = false;
	show(S.latest, { latest: true });
	S.root.focus({ preventScroll: true });
}

function startAdjust() {
	S.adjusting = true;
	show(S.latest, { latest: true });
	focusCell(0, C_NAME);
}

/* ---- versions ------------------------------------------------------------- */

async function pickVersion(sel) {
	const id = +sel.value;
	if (S.dirty && isEditing() && !(await ui.confirm('有未保存的修改，切换版本将丢失这些修改。确定切换？'))) {
		sel.value = String(S.gv.id);
		return;
	}
	const latestId = S.latest.goal_version && S.latest.goal_version.id;
	if (id === latestId) {
		show(S.latest, { latest: true });
		document.getElementById('ge-version')?.focus();
		return;
	}
	const mine = S;
	try {
		const data = await get(`/api/goal-versions/${id}`);
		if (S !== mine) return;
		show(data, { latest: false });
		document.getElementById('ge-version')?.focus();
	} catch (err) {
		ui.toast('加载版本失败：' + err.message, 'error');
		sel.value = String(S.gv.id);
	}
}

function backToLatest() {
	show(S.latest, { latest: true });
	document.getElementById('ge-version')?.focus();
}

/* ---- workflow ------------------------------------------------------------- */

function weightWarnings() {
	const w = [];
	const exp = S.gv && S.gv.weights;
	if (!exp) return w;
	for (const e of exp.by_level1 || []) {
		if (e.expected !== null && !e.ok) w.push(`${e.level1}分值 ${e.sum}，应为 ${e.expected}`);
	}
	if (exp.expected_total !== null && exp.total !== exp.expected_total) w.push(`分值合计 ${exp.total}，应为 ${exp.expected_total}`);
	const unparsed = (S.gv.indicators || []).filter((i) => i.meaning && i.meaning.kind === 'unparsed').length;
	if (unparsed) w.push(`${unparsed} 项指标值无法解析`);
	return w;
}

async function transition(t, button) {
	let comment = null;
	if (t.action === 'submit') {
		if (S.dirty && isEditing()) {
			const saved = await save(S.el.save);
			if (!saved) return;
		}
		const warn = weightWarnings();
		const text = warn.length
			? `以下内容与规则方案不一致：${warn.join('；')}。仍要提交审核吗？提交后审核完成或退回前不能修改。`
			: '提交后，审核完成或退回前不能修改。确定提交审核？';
		if (!(await ui.confirm(text, { okLabel: '提交' }))) return;
	} else if (t.comment_required) {
		comment = await ui.prompt(`${t.label}：填写意见`, { required: true, label: `${t.label}意见（必填，填报单位将看到）`, okLabel: t.label });
		if (comment === null) return;
	} else {
		comment = await ui.prompt(`${t.label}`, { label: '审核意见（可不填）', okLabel: t.label });
		if (comment === null) return;
		if (!comment) comment = null;
	}
	const mine = S;
	const btn = S.el.bar.querySelector(`button[data-action="${t.action}"]`) || button;
	await ui.busy(btn, async () => {
		try {
			const data = await post(`/api/goal-versions/${S.gv.id}/transitions`,
				{ action: t.action, comment, version: S.gv.version });
			if (S !== mine) return;
			show(data, { latest: true });
			S.root.focus({ preventScroll: true });
			ui.toast(`${t.label}：${data.goal_version.state.label}`, 'ok');
			if (S.ctx.refreshInbox) S.ctx.refreshInbox();
		} catch (err) {
			if (S !== mine) return;
			if (err.status === 409) {
				showBanner('warn ge-conflict', '操作未完成：' + err.message + '。请重新加载后再试。',
					h('button', { type: 'button', class: 'btn small', onclick: () => reload(false) }, '重新加载'));
			} else {
				ui.toast(`${t.label}失败：${err.message}`, 'error');
			}
		}
	});
}
