/*
 * review.js - #/review, the review queue (审核) of the department and
 * finance reviewers, and the review of one submission:
 *   #/review                                  the queue (GET /api/inbox)
 *   #/review?type=self_eval&id=N              a self-evaluation
 *   #/review?type=goal_version&id=N           a goal version (绩效目标)
 *
 * A review shows the submission read-only with its findings, compares it
 * with what came before (the previous goal version; for a self-evaluation
 * the previous submission where the audit log allows, and the approved
 * goals' targets), the review history, and the actions the caller may take
 * (审核通过, 退回 with a required comment). After an action the reviewer is
 * back at the queue. Administrators see everything read-only.
 */
import { get, post, ApiError } from '../api.js';
import * as ui from '../ui.js';
import {
	ensureCss, workflow, normReviews, latestReturn, returnBanner, historySection,
	askAction, actionButton, buildForm,
} from './eval.js';

const { h } = ui;

/* append children, skipping null (Node.append would write "null") */
function put(parent, ...kids) {
	for (const k of kids.flat()) if (k !== null && k !== undefined && k !== false) parent.append(k);
	return parent;
}

const REVIEWER = new Set(['dept_reviewer', 'finance_reviewer', 'admin']);
const TYPE_LABEL = { self_eval: '自评表', goal_version: '绩效目标' };
const KIND_LABEL = { annual: '年度目标', multi_year: '实施期目标' };

export async function render(root, params, ctx) {
	const q = params.query || new URLSearchParams();
	const type = q.get('type');
	const id = q.get('id');
	root.appendChild(ui.spinner());
	await Promise.all([ensureCss(), workflow()]);
	const page = h('div', { class: 'ev-page rv-page' });
	try {
		if (type && id && /^\d+$/.test(id) && TYPE_LABEL[type]) {
			if (type === 'self_eval') await evalReview(page, id, ctx);
			else await goalReview(page, id, ctx);
		} else {
			await queue(page, ctx);
		}
	} catch (err) {
		put(ui.clear(page),
			h('h1', null, '审核'),
			h('p', { class: 'ev-error-box', role: 'alert' },
				err && err.status === 404 ? '要审核的记录不存在，或不在您的审核范围内。' : '载入失败：' + (err && err.message ? err.message : '未知错误')),
			h('p', null, h('a', { href: '#/review' }, '返回审核列表')));
	}
	ui.clear(root).appendChild(page);
	const focus = page.querySelector('[data-autofocus]');
	if (focus) focus.focus({ preventScroll: true });
}

/* ---- the queue --------------------------------------------------------- */

function itemHref(it) {
	return '#/review?type=' + it.type + '&id=' + it.id;
}

async function queue(page, ctx) {
	const role = ctx && ctx.user ? ctx.user.role : null;
	page.appendChild(h('h1', null, '审核'));
	if (!REVIEWER.has(role)) {
		put(page,
			h('p', { class: 'ev-note-box' }, '审核页面供主管部门和财政的审核人员使用。您的草稿和被退回待修改的事项在首页。'),
			h('p', null, h('a', { class: 'btn', href: '#/' }, '返回首页')));
		return;
	}
	const inbox = await get('/api/inbox');
	if (role === 'admin') {
		await adminQueue(page, inbox);
		return;
	}
	const lists = (inbox.lists || []).filter((l) => l.key === 'awaiting_dept' || l.key === 'awaiting_finance');
	/* the self-evaluations' findings and scores, from the project list */
	const statuses = role === 'dept_reviewer' ? ['submitted'] : ['dept_approved', 'submitted'];
	const evalInfo = new Map();
	try {
		const answers = await Promise.all(statuses.map((s) => get('/api/projects', { status: s, per_page: 200 })));
		for (const a of answers) for (const p of a.items || []) if (p.eval) evalInfo.set(p.eval.id, p);
	} catch {
		/* the counts are a help, the queue works without them */
	}
	const total = lists.reduce((n, l) => n + (l.total || 0), 0);
	page.appendChild(h('p', { class: 'rv-lead' }, total
		? '以下 ' + total + ' 项等待您审核。打开一项查看填报内容、审核提示和与上一版本的对比，然后审核通过或退回。'
		: '目前没有等待您审核的事项。'));
	for (const l of lists) {
		const sec = h('section', { class: 'rv-list', 'aria-label': l.label },
			h('h2', { class: 'ev-h2' }, l.label, h('span', { class: 'rv-total' }, '共 ' + (l.total || 0) + ' 项')));
		sec.appendChild(ui.table([
			{ key: 'type', label: '类型', render: (it) => h('span', { class: 'rv-type rv-type-' + it.type }, TYPE_LABEL[it.type] || it.type) },
			{ key: 'code', label: '项目编号', render: (it) => it.project ? it.project.code : '—' },
			{ key: 'name', label: '项目名称', render: (it) => h('a', { href: itemHref(it), class: 'rv-open' }, it.project ? it.project.name : '—') },
			{ key: 'status', label: '状态', render: (it) => ui.statusBadge(it.status) },
			{ key: 'score', label: '总分 / 等级', render: (it) => {
				const p = it.type === 'self_eval' ? evalInfo.get(it.id) : null;
				if (!p) return '—';
				return h('span', null, (p.eval.total ?? '—') + ' ', ui.gradeBadge(p.eval.grade));
			} },
			{ key: 'findings', label: '审核提示', render: (it) => {
				const p = it.type === 'self_eval' ? evalInfo.get(it.id) : null;
				if (!p) return it.type === 'self_eval' ? '—' : '打开后查看';
				return countsInline(p.eval.errors, p.eval.warnings);
			} },
			{ key: 'updated', label: '提交时间', render: (it) => ui.dt(it.updated_at) },
			{ key: 'comment', label: '最近意见', render: (it) => it.last_comment
				? h('span', { class: 'rv-comment' }, it.last_comment.comment + '（' + it.last_comment.actor + '）') : '—' },
			{ key: 'open', label: '操作', render: (it) => h('a', { class: 'btn small', href: itemHref(it) }, '审核') },
		], l.items || [], { empty: '暂无待审核事项' }));
		if ((l.total || 0) > (l.items || []).length)
			sec.appendChild(h('p', { class: 'ev-muted' }, '仅列出最近更新的 ' + (l.items || []).length + ' 项。'));
		page.appendChild(sec);
	}
	const first = page.querySelector('a.rv-open');
	if (first) first.setAttribute('data-autofocus', '');
}

function countsInline(errors, warnings) {
	const e = errors || 0;
	const w = warnings || 0;
	if (!e && !w) return h('span', { class: 'ev-count ev-count-ok' }, '无');
	return h('span', { class: 'ev-counts' },
		e ? h('span', { class: 'ev-count ev-count-error' }, '错误 ' + e) : null,
		w ? h('span', { class: 'ev-count ev-count-warning' }, '警告 ' + w) : null);
}

async function adminQueue(page, inbox) {
	page.appendChild(h('p', { class: 'ev-note-box' }, '系统管理员可查看审核进度，不能审核（只读）。'));
	page.appendChild(h('ul', { class: 'rv-admin-totals' }, (inbox.lists || []).map((l) =>
		h('li', null, h('span', null, l.label), h('strong', null, String(l.total || 0)), ' 项'))));
	const answers = await Promise.all(['submitted', 'dept_approved'].map((s) => get('/api/projects', { status: s, per_page: 200 })));
	const items = [];
	for (const a of answers) for (const p of a.items || []) if (p.eval) items.push(p);
	page.appendChild(h('h2', { class: 'ev-h2' }, '审核中的自评表'));
	page.appendChild(ui.table([
		{ key: 'code', label: '项目编号' },
		{ key: 'name', label: '项目名称', render: (p) => h('a', { href: '#/review?type=self_eval&id=' + p.eval.id }, p.name) },
		{ key: 'dept', label: '主管部门', render: (p) => (p.dept ? p.dept.name : '财政直管') },
		{ key: 'unit', label: '实施单位', render: (p) => (p.unit ? p.unit.name : '—') },
		{ key: 'status', label: '状态', render: (p) => ui.statusBadge({ key: p.eval.status, label: p.eval.status_label }) },
		{ key: 'total', label: '总分 / 等级', render: (p) => h('span', null, (p.eval.total ?? '—') + ' ', ui.gradeBadge(p.eval.grade)) },
		{ key: 'findings', label: '审核提示', render: (p) => countsInline(p.eval.errors, p.eval.warnings) },
	], items, { empty: '没有审核中的自评表' }));
}

/* ---- common parts of a review ------------------------------------------ */

function crumbs(projectId, projectName, what) {
	return h('nav', { class: 'ev-crumbs', 'aria-label': '位置' },
		h('a', { href: '#/review' }, '审核'), ' › ',
		h('a', { href: '#/projects/' + projectId }, projectName || '项目'), ' › ',
		h('span', { 'aria-current': 'page' }, what));
}

/* The action bar: buttons for the actions the caller may take now. */
function actionBar(actions, { what, counts, run, ctx }) {
	const bar = h('div', { class: 'rv-actions' });
	if (!actions.length) {
		const role = ctx && ctx.user ? ctx.user.role : null;
		bar.appendChild(h('span', { class: 'ev-muted' }, role === 'admin'
			? '系统管理员只能查看，不能审核。'
			: '当前状态下您不能对此' + what + '进行审核操作。'));
	}
	for (const a of actions) {
		const b = actionButton(a, async () => {
			const ans = await askAction(a, { what, errors: counts ? counts.errors : 0, warnings: counts ? counts.warnings : 0 });
			if (!ans) return;
			await ui.busy(b, async () => {
				try {
					const res = await run(a, ans.comment);
					ui.toast(what + '已' + a.label + '：' + res, 'ok');
					if (ctx && ctx.refreshInbox) ctx.refreshInbox();
					if (ctx && ctx.nav) ctx.nav('#/review');
					else location.hash = '#/review';
				} catch (err) {
					if (err instanceof ApiError && err.status === 409) {
						ui.toast((err.message || '记录已被他人修改') + '，已重新载入。', 'error');
						if (ctx && ctx.nav) ctx.nav(location.hash);
						return;
					}
					throw err;
				}
			});
		});
		bar.appendChild(b);
	}
	bar.appendChild(h('a', { class: 'btn', href: '#/review' }, '返回审核列表'));
	return bar;
}

function normDec(s) {
	if (s === null || s === undefined || s === '') return '';
	let t = String(s).trim();
	if (/^-?\d+\.\d+$/.test(t)) t = t.replace(/0+$/, '').replace(/\.$/, '');
	return t;
}

function txt(v) {
	return v === null || v === undefined ? '' : String(v).trim();
}

/*
 * Match two indicator lists by 一级/二级/三级 names (in order for repeats).
 * Answers rows {kind: 'same'|'changed'|'added'|'removed', old, cur, changed: Set}.
 */
export function diffIndicators(oldList, newList, fields = ['target', 'unit', 'nature', 'weight']) {
	const key = (x) => [txt(x.level1), txt(x.level2), txt(x.name)].join('\u0001');
	const pool = new Map();
	oldList.forEach((x, i) => {
		const k = key(x);
		if (!pool.has(k)) pool.set(k, []);
		pool.get(k).push(i);
	});
	const used = new Set();
	const rows = [];
	for (const cur of newList) {
		const cand = pool.get(key(cur));
		const oi = cand && cand.length ? cand.shift() : null;
		if (oi === null) {
			rows.push({ kind: 'added', old: null, cur, changed: new Set() });
			continue;
		}
		used.add(oi);
		const old = oldList[oi];
		const changed = new Set(fields.filter((f) => (f === 'weight' ? normDec(old[f]) !== normDec(cur[f]) : txt(old[f]) !== txt(cur[f]))));
		rows.push({ kind: changed.size ? 'changed' : 'same', old, cur, changed });
	}
	/* a removed row goes after the row that preceded it in the old list */
	oldList.forEach((old, i) => {
		if (used.has(i)) return;
		let at = 0;
		for (let j = i - 1; j >= 0; j--) {
			const k = rows.findIndex((r) => r.old === oldList[j]);
			if (k >= 0) { at = k + 1; break; }
		}
		rows.splice(at, 0, { kind: 'removed', old, cur: null, changed: new Set() });
	});
	return rows;
}

const DIFF_LABEL = { same: '未变', changed: '修改', added: '新增', removed: '删除' };

function diffCell(r, f, show = (x) => x) {
	const o = r.old ? show(r.old[f]) : '';
	const c = r.cur ? show(r.cur[f]) : '';
	if (r.kind === 'changed' && r.changed.has(f)) {
		return h('td', { class: 'rv-chg', 'data-col': f },
			h('del', { class: 'rv-old', 'aria-label': '原为' }, o || '（空）'),
			h('span', { class: 'rv-arrow', 'aria-hidden': 'true' }, ' → '),
			h('ins', { class: 'rv-new', 'aria-label': '改为' }, c || '（空）'));
	}
	return h('td', { 'data-col': f }, (r.kind === 'removed' ? o : c) || '—');
}

function diffSummary(rows) {
	const n = { added: 0, removed: 0, changed: 0 };
	const f = { target: 0, weight: 0, unit: 0, nature: 0 };
	for (const r of rows) {
		if (n[r.kind] !== undefined) n[r.kind]++;
		for (const k of r.changed) if (f[k] !== undefined) f[k]++;
	}
	const parts = [];
	if (n.added) parts.push('新增 ' + n.added + ' 项');
	if (n.removed) parts.push('删除 ' + n.removed + ' 项');
	if (n.changed) {
		const d = [];
		if (f.target) d.push('指标值 ' + f.target);
		if (f.weight) d.push('分值 ' + f.weight);
		if (f.unit) d.push('计量单位 ' + f.unit);
		if (f.nature) d.push('指标性质 ' + f.nature);
		parts.push('修改 ' + n.changed + ' 项（' + d.join('、') + '）');
	}
	return parts.length ? parts.join('，') : '指标没有变化';
}

function onlyChangedToggle(table) {
	const id = 'rv-only-' + Math.random().toString(36).slice(2, 8);
	const box = h('input', { type: 'checkbox', id, onchange: () => table.classList.toggle('rv-only-changed', box.checked) });
	return h('label', { class: 'rv-toggle', for: id }, box, ' 只看有变化的行');
}

function diffTable(rows, { oldName, newName }) {
	const table = h('table', { class: 'ev-grid rv-diff' },
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, '变化'),
			h('th', { scope: 'col' }, '一级指标'), h('th', { scope: 'col' }, '二级指标'),
			h('th', { scope: 'col' }, '三级指标'), h('th', { scope: 'col' }, '年度指标值'),
			h('th', { scope: 'col' }, '计量单位'), h('th', { scope: 'col' }, '指标性质'),
			h('th', { scope: 'col' }, '分值'))),
		h('tbody', null, rows.length ? rows.map((r) => {
			const src = r.cur || r.old;
			return h('tr', { class: 'rv-row rv-' + r.kind, 'data-kind': r.kind },
				h('td', { class: 'rv-kind' }, h('span', { class: 'rv-tag rv-tag-' + r.kind }, DIFF_LABEL[r.kind])),
				h('td', null, src.level1 || '—'), h('td', null, src.level2 || '—'),
				h('td', null, src.name || '—'),
				diffCell(r, 'target'), diffCell(r, 'unit'), diffCell(r, 'nature'), diffCell(r, 'weight'));
		}) : h('tr', null, h('td', { colspan: 8, class: 'ev-muted' }, '两个版本都没有指标。'))));
	table.setAttribute('aria-label', '指标对比：' + oldName + ' → ' + newName);
	return table;
}

/* ---- a goal version ---------------------------------------------------- */

function versionName(v) {
	return '第' + v.number + '版（' + (v.stage_label || v.stage || '') + '）';
}

/* What a reviewer should look at in a goal version (the API has no audit of goals). */
function goalChecks(gv) {
	const out = [];
	const w = gv.weights || {};
	for (const b of w.by_level1 || []) {
		if (b.expected !== null && b.expected !== undefined && !b.ok)
			out.push({ severity: 'warning', msg: '一级指标“' + b.level1 + '”分值合计 ' + b.sum + '，规则方案要求 ' + b.expected });
	}
	if (w.expected_total && normDec(w.total) !== normDec(w.expected_total))
		out.push({ severity: 'error', msg: '全部指标分值合计 ' + w.total + '，规则方案要求 ' + w.expected_total });
	(gv.indicators || []).forEach((x, i) => {
		const m = x.meaning || {};
		const at = '第' + (i + 1) + '项“' + (x.name || '') + '”：';
		if (m.kind === 'empty') out.push({ severity: 'error', msg: at + '未填写年度指标值', pos: i });
		else if (m.kind === 'unparsed') out.push({ severity: 'error', msg: at + (m.text || '指标值无法解析'), pos: i });
		else if (m.kind === 'word' && (m.tier === null || m.tier === undefined)) out.push({ severity: 'warning', msg: at + (m.text || '定性指标的词不在规则方案的词表中'), pos: i });
		if (x.weight === null || x.weight === undefined || x.weight === '') out.push({ severity: 'error', msg: at + '未填写分值', pos: i });
	});
	if (!(gv.goals || []).some((g) => g.kind === 'annual' && txt(g.text)))
		out.push({ severity: 'warning', msg: '未填写年度总体目标' });
	return out;
}

function goalTable(gv, checks) {
	const flagged = new Map();
	for (const c of checks) if (c.pos !== undefined) {
		const prev = flagged.get(c.pos);
		if (!prev || c.severity === 'error') flagged.set(c.pos, c.severity);
	}
	const list = gv.indicators || [];
	return h('table', { class: 'ev-grid rv-goal-table' },
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, '一级指标'), h('th', { scope: 'col' }, '二级指标'),
			h('th', { scope: 'col' }, '三级指标'), h('th', { scope: 'col' }, '年度指标值'),
			h('th', { scope: 'col' }, '计量单位'), h('th', { scope: 'col' }, '指标性质'),
			h('th', { scope: 'col' }, '分值'), h('th', { scope: 'col' }, '指标值解读'))),
		h('tbody', null, list.length ? list.map((x, i) => h('tr', { class: flagged.has(i) ? 'ev-row-' + flagged.get(i) : null },
			h('td', null, x.level1 || '—'), h('td', null, x.level2 || '—'), h('td', null, x.name || '—'),
			h('td', null, x.target || '—'), h('td', null, x.unit || '—'), h('td', null, x.nature || '—'),
			h('td', { class: 'num' }, x.weight ?? '—'),
			h('td', { class: 'rv-meaning' }, x.meaning ? x.meaning.text : '—'))) : h('tr', null, h('td', { colspan: 8, class: 'ev-muted' }, '没有绩效指标。'))),
		h('tfoot', null, h('tr', null,
			h('th', { scope: 'row', colspan: 6 }, '分值合计'),
			h('td', { class: 'num' }, gv.weights ? gv.weights.total : '—'),
			h('td', null, gv.weights && gv.weights.by_level1
				? gv.weights.by_level1.map((b) => b.level1 + ' ' + b.sum + (b.expected ? '/' + b.expected : '')).join('；') : ''))));
}

function checksBox(checks) {
	const errors = checks.filter((c) => c.severity === 'error').length;
	const warnings = checks.length - errors;
	return h('section', { class: 'ev-summary', 'aria-label': '审核提示' },
		h('div', { class: 'ev-sum-row' }, h('h2', { class: 'ev-h2' }, '审核提示'), countsInline(errors, warnings)),
		checks.length ? h('ul', { class: 'ev-head-findings' }, checks.map((c) => h('li', { class: 'ev-f ev-f-' + c.severity },
			h('span', { class: 'ev-sev ev-sev-' + c.severity }, c.severity === 'error' ? '错误' : '警告'),
			h('span', { class: 'ev-f-msg' }, c.msg)))) : h('p', { class: 'ev-muted' }, '分值合计与规则方案一致，指标值均可解读。'));
}

async function goalReview(page, id, ctx) {
	const [ans, wf] = await Promise.all([get('/api/goal-versions/' + id), workflow()]);
	const gv = ans.goal_version;
	const pr = ans.project || {};
	const reviews = normReviews(gv.reviews, wf);
	const ret = gv.state && gv.state.key === 'returned' ? latestReturn(reviews) : null;
	const checks = goalChecks(gv);
	const transitions = (gv.transitions || []).map((t) => ({ action: t.action, label: t.label, comment_required: t.comment_required }));

	put(page,
		crumbs(pr.id, pr.name, '绩效目标' + versionName(gv)),
		h('div', { class: 'ev-bar' },
			h('div', { class: 'ev-bar-title' },
				h('h1', null, '审核：绩效目标'),
				h('span', { class: 'ev-year' }, versionName(gv)),
				ui.statusBadge(gv.state || gv.status)),
			actionBar(transitions, {
				what: '绩效目标', counts: null, ctx,
				run: async (a, comment) => {
					const r = await post('/api/goal-versions/' + id + '/transitions', { action: a.action, comment, version: gv.version });
					return r.goal_version && r.goal_version.state ? r.goal_version.state.label : '';
				},
			})),
		h('table', { class: 'ev-grid ev-head' }, h('tbody', null,
			h('tr', null, h('th', { scope: 'row' }, '项目名称'), h('td', { colspan: 3 }, (pr.name || '—'), pr.code ? h('span', { class: 'ev-code' }, '（' + pr.code + '）') : null)),
			h('tr', null, h('th', { scope: 'row' }, '主管部门'), h('td', null, pr.dept ? pr.dept.name : '财政直管单位'),
				h('th', { scope: 'row' }, '实施单位'), h('td', null, pr.unit ? pr.unit.name : '—')),
			h('tr', null, h('th', { scope: 'row' }, '年度'), h('td', null, pr.year ? String(pr.year) : '—'),
				h('th', { scope: 'row' }, '填报人'), h('td', null, (gv.created_by || '—') + '，' + ui.dt(gv.created_at))),
			gv.reason ? h('tr', null, h('th', { scope: 'row' }, '调整原因'), h('td', { colspan: 3, class: 'rv-reason' }, gv.reason)) : null)),
		ret ? returnBanner(ret) : null,
		checksBox(checks),
		h('h2', { class: 'ev-h2' }, '绩效目标'),
		h('table', { class: 'ev-grid ev-goals' }, h('tbody', null, (gv.goals || []).length
			? gv.goals.map((g) => h('tr', null, h('th', { scope: 'row', class: 'ev-goals-label' }, KIND_LABEL[g.kind] || g.kind), h('td', null, g.text || '—')))
			: h('tr', null, h('td', { class: 'ev-muted' }, '未填写绩效目标。')))),
		h('h2', { class: 'ev-h2' }, '绩效指标'),
		goalTable(gv, checks));

	/* compare with the previous version */
	const sec = h('section', { class: 'rv-compare', 'aria-label': '与上一版本对比' }, h('h2', { class: 'ev-h2' }, '与上一版本对比'));
	page.appendChild(sec);
	const versions = (ans.versions || []).slice().sort((a, b) => b.number - a.number);
	const prevMeta = versions.find((v) => v.number < gv.number);
	if (!prevMeta) {
		sec.appendChild(h('p', { class: 'ev-muted' }, '这是项目的第1版绩效目标，没有可对比的上一版本。' +
			(reviews.some((r) => r.to === 'returned') ? '此前被退回的内容已被修改后的内容替换，退回意见见下方审核记录。' : '')));
	} else {
		try {
			const prevAns = await get('/api/goal-versions/' + prevMeta.id);
			const prev = prevAns.goal_version;
			const rows = diffIndicators(prev.indicators || [], gv.indicators || []);
			const table = diffTable(rows, { oldName: versionName(prev), newName: versionName(gv) });
			put(sec,
				h('p', { class: 'rv-compare-head' },
					'对比 ', h('strong', null, versionName(prev)), '（', (prev.state ? prev.state.label : prevMeta.status_label || ''), '）',
					' → ', h('strong', null, versionName(gv)), '：',
					h('span', { class: 'rv-compare-sum' }, diffSummary(rows))),
				goalTextsDiff(prev.goals || [], gv.goals || []),
				h('div', { class: 'rv-compare-tools' }, onlyChangedToggle(table)),
				h('div', { class: 'ev-table-wrap' }, table),
				weightsDiff(prev.weights, gv.weights));
		} catch (err) {
			sec.appendChild(h('p', { class: 'ev-error-box' }, '无法载入上一版本：' + err.message));
		}
	}
	page.appendChild(historySection(reviews));
}

function goalTextsDiff(oldGoals, newGoals) {
	const rows = [];
	for (const kind of ['annual', 'multi_year']) {
		const o = oldGoals.filter((g) => g.kind === kind).map((g) => txt(g.text)).join('\n');
		const n = newGoals.filter((g) => g.kind === kind).map((g) => txt(g.text)).join('\n');
		if (o === n) continue;
		rows.push(h('tr', { class: 'rv-row rv-changed' },
			h('th', { scope: 'row' }, KIND_LABEL[kind]),
			h('td', { class: 'rv-chg' }, h('del', { class: 'rv-old' }, o || '（空）'), h('span', { class: 'rv-arrow' }, ' → '), h('ins', { class: 'rv-new' }, n || '（空）'))));
	}
	if (!rows.length) return h('p', { class: 'ev-muted' }, '绩效目标（文字）没有变化。');
	return h('table', { class: 'ev-grid rv-goal-diff', 'aria-label': '绩效目标文字对比' }, h('tbody', null, rows));
}

function weightsDiff(oldW, newW) {
	if (!oldW || !newW) return null;
	const names = [];
	for (const b of [...(oldW.by_level1 || []), ...(newW.by_level1 || [])]) if (!names.includes(b.level1)) names.push(b.level1);
	const val = (w, n) => {
		const b = (w.by_level1 || []).find((x) => x.level1 === n);
		return b ? b.sum : '0';
	};
	const changed = names.filter((n) => normDec(val(oldW, n)) !== normDec(val(newW, n)));
	if (!changed.length && normDec(oldW.total) === normDec(newW.total)) return h('p', { class: 'ev-muted' }, '各一级指标的分值合计没有变化。');
	return h('p', { class: 'rv-weights' }, '分值合计变化：', changed.map((n) => n + ' ' + val(oldW, n) + ' → ' + val(newW, n)).join('；'),
		normDec(oldW.total) !== normDec(newW.total) ? '；合计 ' + oldW.total + ' → ' + newW.total : '');
}

/* ---- a self-evaluation ------------------------------------------------- */

async function evalReview(page, id, ctx) {
	const [ev, wf] = await Promise.all([get('/api/evals/' + id), workflow()]);
	const reviews = normReviews(ev.reviews, wf);
	const ret = ev.status && ev.status.key === 'returned' ? latestReturn(reviews) : null;
	const form = buildForm(ev, { editable: false });
	put(page,
		crumbs(ev.project_id, ev.title, '自评表'),
		h('div', { class: 'ev-bar' },
			h('div', { class: 'ev-bar-title' },
				h('h1', null, '审核：项目支出绩效自评表'),
				h('span', { class: 'ev-year' }, ev.year ? '（' + ev.year + '年度）' : ''),
				ui.statusBadge(ev.status)),
			h('div', { class: 'ev-bar-live' },
				h('span', { class: 'ev-live-total' }, h('span', { class: 'ev-live-k' }, '总分'),
					h('strong', { class: 'ev-live-v' }, ev.total && ev.total.computed ? ev.total.computed : '—'),
					ev.total && ev.total.weight ? h('span', { class: 'ev-live-of' }, '/' + ev.total.weight) : null),
				h('span', { class: 'ev-live-grade' }, h('span', { class: 'ev-live-k' }, '等级'), ui.gradeBadge(ev.grade && ev.grade.computed))),
			actionBar(ev.actions || [], {
				what: '自评表', counts: ev.counts, ctx,
				run: async (a, comment) => {
					const r = await post('/api/evals/' + id + '/transitions', { action: a.action, comment, version: ev.version });
					return r.status ? r.status.label : '';
				},
			})),
		h('div', { class: 'ev-meta' },
			h('span', null, '版本 ' + ev.version), h('span', null, '更新于 ' + ui.dt(ev.updated_at)),
			h('span', null, '规则方案 ' + (ev.rules || '—')),
			h('a', { href: '#/evals/' + ev.id + '/print' }, '打印视图')),
		ret ? returnBanner(ret) : null,
		form.el);
	const sec = h('section', { class: 'rv-compare', 'aria-label': '对比' }, h('h2', { class: 'ev-h2' }, '与上次提交对比'));
	put(page, sec);
	await evalCompare(sec, ev, reviews, ctx);
	const goalsSec = h('section', { class: 'rv-compare', 'aria-label': '与批复的绩效目标对比' }, h('h2', { class: 'ev-h2' }, '与批复的绩效目标对比'));
	put(page, goalsSec);
	await approvedCompare(goalsSec, ev);
	put(page, historySection(reviews));
}

/*
 * The values at the previous submission, rebuilt from the audit log (each
 * save logs the lines before and after). Answers {values, at} or a reason.
 */
async function previousSubmission(ev, ctx) {
	const role = ctx && ctx.user ? ctx.user.role : null;
	const submits = (ev.reviews || []).filter((r) => r.action === 'submit');
	if (submits.length < 2) return { none: '这是第一次提交，没有上次提交的内容可对比。' };
	if (role !== 'finance_reviewer' && role !== 'admin')
		return { none: '系统不保存自评表每次提交的副本，修改明细只记录在财政部门可查的审计日志中，因此这里无法逐项列出与上次提交（' + ui.dt(submits[submits.length - 2].at) + '）相比改了什么。退回意见和处理经过见下方审核记录；下一节把自评表的指标与批复的绩效目标逐项对照。' };
	let log;
	try {
		log = await get('/api/audit', { table: 'jx_self_eval', record_id: ev.id, per_page: 200 });
	} catch (err) {
		return { none: '无法读取修改记录（' + err.message + '），不能还原上次提交的内容。' };
	}
	const items = log.items || [];
	const subIdx = [];
	items.forEach((e, i) => { if (e.action === 'submit') subIdx.push(i); });
	if (subIdx.length < 2) return { none: '修改记录中找不到上次提交，不能还原上次提交的内容。' };
	const prevAt = subIdx[1];
	const lines = new Map((ev.lines || []).map((l) => [l.position, { actual: l.actual, reason: l.reason }]));
	const goals = new Map((ev.goals || []).map((g) => [g.position, { achieved: g.achieved }]));
	for (let i = 0; i < prevAt; i++) {
		const e = items[i];
		if (e.action !== 'update') continue;
		if (e.before_omitted) return { none: '修改记录过长，不能还原上次提交的内容。' };
		let b;
		try {
			b = JSON.parse(e.before || '{}');
		} catch {
			return { none: '修改记录无法解读，不能还原上次提交的内容。' };
		}
		for (const l of b.lines || []) {
			const cur = lines.get(l.position) || {};
			if ('actual' in l) cur.actual = l.actual;
			if ('reason' in l) cur.reason = l.reason;
			lines.set(l.position, cur);
		}
		for (const g of b.goals || []) {
			const cur = goals.get(g.position) || {};
			if ('achieved' in g) cur.achieved = g.achieved;
			goals.set(g.position, cur);
		}
	}
	return {
		at: items[prevAt].at,
		values: {
			lines: [...lines].map(([position, v]) => ({ position, actual: v.actual ?? null, reason: v.reason ?? null })),
			goals: [...goals].map(([position, v]) => ({ position, achieved: v.achieved ?? null })),
		},
	};
}

async function evalCompare(sec, ev, reviews, ctx) {
	const prev = await previousSubmission(ev, ctx);
	if (prev.none) {
		sec.appendChild(h('p', { class: 'ev-note-box' }, prev.none));
		return;
	}
	let old;
	try {
		old = await post('/api/evals/' + ev.id + '/preview', prev.values);
	} catch (err) {
		sec.appendChild(h('p', { class: 'ev-error-box' }, '无法计算上次提交的得分：' + err.message));
		return;
	}
	const oldBy = new Map((old.lines || []).map((l) => [l.position, l]));
	let changedN = 0;
	const rows = (ev.lines || []).map((l) => {
		const o = oldBy.get(l.position) || {};
		const ch = {
			actual: txt(o.actual) !== txt(l.actual),
			reason: txt(o.reason) !== txt(l.reason),
			score: normDec(o.score) !== normDec(l.score),
		};
		const any = ch.actual || ch.reason || ch.score;
		if (any) changedN++;
		const cell = (k, ov, nv) => ch[k]
			? h('td', { class: 'rv-chg' + (k === 'score' ? ' num' : '') }, h('del', { class: 'rv-old' }, ov || '（空）'), h('span', { class: 'rv-arrow', 'aria-hidden': 'true' }, ' → '), h('ins', { class: 'rv-new' }, nv || '（空）'))
			: h('td', { class: k === 'score' ? 'num' : null }, nv || '—');
		return h('tr', { class: 'rv-row ' + (any ? 'rv-changed' : 'rv-same'), 'data-kind': any ? 'changed' : 'same' },
			h('td', { class: 'rv-kind' }, h('span', { class: 'rv-tag rv-tag-' + (any ? 'changed' : 'same') }, any ? '修改' : '未变')),
			h('td', null, l.name || '—'),
			h('td', null, l.target || '—'),
			cell('actual', txt(o.actual), txt(l.actual)),
			cell('score', o.score ?? '', l.score ?? ''),
			cell('reason', txt(o.reason), txt(l.reason)));
	});
	const goalRows = (ev.goals || []).map((g) => {
		const o = (old.goals || []).find((x) => x.position === g.position) || {};
		if (txt(o.achieved) === txt(g.achieved)) return null;
		changedN++;
		return h('tr', { class: 'rv-row rv-changed', 'data-kind': 'changed' },
			h('td', { class: 'rv-kind' }, h('span', { class: 'rv-tag rv-tag-changed' }, '修改')),
			h('td', { colspan: 2 }, '年度总体目标：' + (g.expected || '')),
			h('td', { colspan: 3, class: 'rv-chg' }, h('del', { class: 'rv-old' }, txt(o.achieved) || '（空）'), h('span', { class: 'rv-arrow' }, ' → '), h('ins', { class: 'rv-new' }, txt(g.achieved) || '（空）')));
	}).filter(Boolean);
	const table = h('table', { class: 'ev-grid rv-diff' },
		h('thead', null, h('tr', null,
			h('th', { scope: 'col' }, '变化'), h('th', { scope: 'col' }, '三级指标'), h('th', { scope: 'col' }, '年度指标值'),
			h('th', { scope: 'col' }, '实际完成值'), h('th', { scope: 'col' }, '得分'), h('th', { scope: 'col' }, '偏差原因分析及改进措施'))),
		h('tbody', null, rows, goalRows));
	const ot = old.total ? old.total.computed : null;
	const nt = ev.total ? ev.total.computed : null;
	put(sec,
		h('p', { class: 'rv-compare-head' }, '上次提交（' + ui.dt(prev.at) + '）→ 本次提交：',
			h('span', { class: 'rv-compare-sum' }, changedN ? '修改 ' + changedN + ' 处' : '内容没有变化'),
			'；总分 ', h('strong', null, (ot ?? '—') + ' → ' + (nt ?? '—')),
			'；错误 ' + (old.counts ? old.counts.errors : '—') + ' → ' + (ev.counts ? ev.counts.errors : '—') +
			'，警告 ' + (old.counts ? old.counts.warnings : '—') + ' → ' + (ev.counts ? ev.counts.warnings : '—') + '。'),
		h('div', { class: 'rv-compare-tools' }, onlyChangedToggle(table)),
		h('div', { class: 'ev-table-wrap' }, table));
}

/* The evaluation's lines against the latest goal version the finance bureau approved. */
async function approvedCompare(sec, ev) {
	let ans;
	try {
		ans = await get('/api/projects/' + ev.project_id + '/goals');
	} catch (err) {
		sec.appendChild(h('p', { class: 'ev-error-box' }, '无法载入绩效目标：' + err.message));
		return;
	}
	const versions = (ans.versions || []).slice().sort((a, b) => b.number - a.number);
	const approvedMeta = versions.find((v) => v.status === 'finance_approved');
	if (!approvedMeta) {
		sec.appendChild(h('p', { class: 'ev-note-box' }, '项目没有财政已审核的绩效目标版本，无法对照。'));
		return;
	}
	let approved = ans.goal_version && ans.goal_version.id === approvedMeta.id ? ans.goal_version : null;
	if (!approved) {
		try {
			approved = (await get('/api/goal-versions/' + approvedMeta.id)).goal_version;
		} catch (err) {
			sec.appendChild(h('p', { class: 'ev-error-box' }, '无法载入批复的绩效目标：' + err.message));
			return;
		}
	}
	const pending = versions.find((v) => v.number > approvedMeta.number);
	const rows = diffIndicators(approved.indicators || [], ev.lines || [], ['target', 'weight']);
	const same = rows.every((r) => r.kind === 'same');
	put(sec, h('p', { class: 'rv-compare-head' },
		'自评表各行的年度指标值和分值，对照 ', h('strong', null, versionName(approved)), '（财政已审核，' + ui.dt(approved.approved_at || approvedMeta.approved_at) + '）：',
		h('span', { class: 'rv-compare-sum' + (same ? ' rv-ok' : '') }, same ? '全部一致' : diffSummary(rows))));
	if (pending)
		sec.appendChild(h('p', { class: 'ev-note-box' }, '项目另有' + versionName(pending) + '（' + (pending.status_label || pending.status) + '）尚未经财政审核，自评按已批复的版本进行。'));
	if (!same) {
		const table = h('table', { class: 'ev-grid rv-diff' },
			h('thead', null, h('tr', null, h('th', { scope: 'col' }, '变化'), h('th', { scope: 'col' }, '一级指标'), h('th', { scope: 'col' }, '二级指标'),
				h('th', { scope: 'col' }, '三级指标'), h('th', { scope: 'col' }, '年度指标值（批复 → 自评表）'), h('th', { scope: 'col' }, '分值'))),
			h('tbody', null, rows.map((r) => {
				const src = r.cur || r.old;
				const label = { same: '一致', changed: '不一致', added: '批复中没有', removed: '自评表中没有' }[r.kind];
				return h('tr', { class: 'rv-row rv-' + r.kind, 'data-kind': r.kind },
					h('td', { class: 'rv-kind' }, h('span', { class: 'rv-tag rv-tag-' + r.kind }, label)),
					h('td', null, src.level1 || '—'), h('td', null, src.level2 || '—'), h('td', null, src.name || '—'),
					diffCell(r, 'target'), diffCell(r, 'weight'));
			})));
		put(sec, h('div', { class: 'rv-compare-tools' }, onlyChangedToggle(table)), h('div', { class: 'ev-table-wrap' }, table));
	}
}
