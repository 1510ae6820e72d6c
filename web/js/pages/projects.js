/*
 * projects.js - #/projects: the projects in the user's scope (GET
 * /api/projects) with filters (年度, 主管部门, 实施单位, 自评状态, 评价等级,
 * 存在错误), a search, sorting by the column headers and paging. The filters
 * live in the hash query (#/projects?year=2024&status=draft&sort=-score), so
 * a list can be bookmarked and Back returns to it. Unit filers (and
 * administrators, naming the unit) create projects in the 新建项目 dialog
 * (POST /api/projects); ?new=1 opens it.
 */
import { get, post, ApiError } from '../api.js';
import { h, clear, fen, pct, dt, statusBadge, gradeBadge, table, pager, spinner, modal,
	fieldError, clearFieldErrors, toast } from '../ui.js';

const KEYS = ['year', 'dept_id', 'unit_id', 'status', 'grade', 'has_errors', 'q', 'sort', 'page'];
const PER_PAGE = 50;

const STATUS = [
	['draft', '草稿'], ['submitted', '已提交'], ['dept_approved', '主管部门已审核'],
	['finance_approved', '财政已审核'], ['returned', '已退回'], ['none', '未填报'],
];
const GRADES = ['优', '良', '中', '差'];
/* first click on a header: descending for figures, ascending for text */
const DESC_FIRST = new Set(['year', 'score', 'exec_rate', 'updated']);

function option(value, label, selected) {
	return h('option', { value, selected: String(selected ?? '') === String(value) }, label);
}

function stateFromQuery(query) {
	const s = {};
	for (const k of KEYS) {
		const v = query.get(k);
		if (v !== null && v !== '') s[k] = v;
	}
	return s;
}

function hashOf(state) {
	const p = new URLSearchParams();
	for (const k of KEYS) if (state[k] !== undefined && state[k] !== '' && state[k] !== null) p.set(k, state[k]);
	const q = p.toString();
	return '#/projects' + (q ? '?' + q : '');
}

export async function render(root, params, ctx) {
	const user = ctx.user;
	const state = stateFromQuery(params.query);
	const canCreate = user.role === 'unit_filer' || user.role === 'admin';
	const showDept = user.role === 'finance_reviewer' || user.role === 'admin';
	const showUnit = user.role !== 'unit_filer';

	const countNote = h('div', { class: 'sub' }, '\u00a0');
	const newBtn = canCreate ? h('button', { type: 'button', class: 'btn primary', onclick: () => openCreate() }, '新建项目') : null;
	root.appendChild(h('div', { class: 'page-head' },
		h('div', null, h('h1', null, '项目'), countNote),
		h('div', { class: 'page-actions' }, newBtn)));

	/* ---- filter controls (options filled below) ---- */
	const yearSel = h('select', { id: 'f-year', 'data-field': 'year' }, option('', '全部年度', state.year));
	const deptSel = h('select', { id: 'f-dept', 'data-field': 'dept_id' }, option('', '全部主管部门', state.dept_id));
	const unitSel = h('select', { id: 'f-unit', 'data-field': 'unit_id' }, option('', '全部实施单位', state.unit_id));
	const statusSel = h('select', { id: 'f-status', 'data-field': 'status' }, option('', '全部状态', state.status),
		STATUS.map(([k, l]) => option(k, l, state.status)));
	const gradeSel = h('select', { id: 'f-grade', 'data-field': 'grade' }, option('', '全部等级', state.grade),
		GRADES.map((g) => option(g, g, state.grade)));
	const errSel = h('select', { id: 'f-errors', 'data-field': 'has_errors' }, option('', '不限', state.has_errors),
		option('1', '存在错误', state.has_errors), option('0', '无错误', state.has_errors));
	const search = h('input', { id: 'f-q', type: 'search', 'data-field': 'q', maxlength: 100,
		placeholder: '项目名称或编码', value: state.q || '' });
	const clearBtn = h('button', { type: 'button', class: 'btn', onclick: () => {
		for (const k of KEYS) delete state[k];
		yearSel.value = deptSel.value = unitSel.value = statusSel.value = gradeSel.value = errSel.value = '';
		search.value = '';
		fillUnits();
		apply();
	} }, '清除筛选');

	const filters = h('form', { class: 'filters', role: 'search', 'aria-label': '筛选项目',
		onsubmit: (e) => { e.preventDefault(); changed('q', search.value.trim()); } },
	h('div', { class: 'field' }, h('label', { for: 'f-year' }, '年度'), yearSel),
	showDept ? h('div', { class: 'field' }, h('label', { for: 'f-dept' }, '主管部门'), deptSel) : null,
	showUnit ? h('div', { class: 'field' }, h('label', { for: 'f-unit' }, '实施单位'), unitSel) : null,
	h('div', { class: 'field' }, h('label', { for: 'f-status' }, '自评状态'), statusSel),
	h('div', { class: 'field' }, h('label', { for: 'f-grade' }, '评价等级'), gradeSel),
	h('div', { class: 'field' }, h('label', { for: 'f-errors' }, '审核问题'), errSel),
	h('div', { class: 'field' }, h('label', { for: 'f-q' }, '搜索'), search),
	h('div', { class: 'field' }, h('span', { class: 'label' }, '\u00a0'), clearBtn));
	root.appendChild(filters);

	const listBox = h('div', { class: 'list-box', 'aria-live': 'polite' });
	root.appendChild(listBox);

	function changed(key, value) {
		if (value === '' || value === null || value === undefined) delete state[key];
		else state[key] = value;
		delete state.page;
		apply();
	}
	yearSel.addEventListener('change', () => changed('year', yearSel.value));
	deptSel.addEventListener('change', () => {
		changed('dept_id', deptSel.value);
		fillUnits();
		if (unitSel.value !== (state.unit_id || '')) changed('unit_id', unitSel.value);
	});
	unitSel.addEventListener('change', () => changed('unit_id', unitSel.value));
	statusSel.addEventListener('change', () => changed('status', statusSel.value));
	gradeSel.addEventListener('change', () => changed('grade', gradeSel.value));
	errSel.addEventListener('change', () => changed('has_errors', errSel.value));
	let searchTimer = null;
	search.addEventListener('input', () => {
		clearTimeout(searchTimer);
		searchTimer = setTimeout(() => {
			if ((state.q || '') !== search.value.trim()) changed('q', search.value.trim());
		}, 350);
	});

	/* ---- organisations and years for the selects ---- */
	let units = [];
	function fillUnits() {
		const keep = state.unit_id || '';
		clear(unitSel);
		unitSel.appendChild(option('', '全部实施单位', keep));
		const d = deptSel.value;
		const list = d ? units.filter((u) => String(u.parent_id) === d) : units;
		for (const u of list) unitSel.appendChild(option(String(u.id), u.name, keep));
		if (keep && !list.some((u) => String(u.id) === keep)) {
			unitSel.value = '';
			delete state.unit_id;
		}
	}

	const setup = Promise.all([
		get('/api/projects', { sort: 'year', per_page: 1 }),
		get('/api/projects', { sort: '-year', per_page: 1 }),
		showDept ? get('/api/orgs', { kind: 'department', per_page: 200, sort: 'name' }) : null,
		showUnit || user.role === 'admin' ? get('/api/orgs', { kind: 'unit', per_page: 200, sort: 'name' }) : null,
	]).then(([lo, hi, depts, us]) => {
		const now = new Date().getFullYear();
		const min = lo.items[0] ? Math.min(lo.items[0].year, now) : now;
		const max = hi.items[0] ? Math.max(hi.items[0].year, now) : now;
		for (let y = max; y >= min; y--) yearSel.appendChild(option(String(y), y + ' 年', state.year));
		if (state.year && !(Number(state.year) >= min && Number(state.year) <= max))
			yearSel.appendChild(option(state.year, state.year + ' 年', state.year));
		if (depts) for (const d of depts.items) deptSel.appendChild(option(String(d.id), d.name, state.dept_id));
		units = us ? us.items : [];
		fillUnits();
	}).catch((err) => {
		if (!(err instanceof ApiError) || err.status !== 401) toast('筛选项加载失败：' + err.message, 'error');
	});

	/* ---- the list ---- */
	let seq = 0;
	function apply() {
		ctx.replace(hashOf(state));
		load();
	}

	function columns() {
		const cols = [
			{ key: 'code', label: '项目编码', sort: 'code', class: 'nowrap' },
			{ key: 'name', label: '项目名称', sort: 'name',
				render: (p) => h('a', { href: '#/projects/' + p.id }, p.name) },
			{ key: 'year', label: '年度', sort: 'year', class: 'num' },
		];
		if (showUnit) cols.push({ key: 'unit', label: '实施单位', render: (p) => p.unit && p.unit.name });
		if (showDept) cols.push({ key: 'dept', label: '主管部门', render: (p) => (p.dept ? p.dept.name : '财政直管') });
		cols.push(
			{ key: 'annual', label: '全年预算数（万元）', class: 'num', render: (p) => fen(p.annual_fen) },
			{ key: 'exec_rate', label: '执行率', sort: 'exec_rate', class: 'num', render: (p) => pct(p.exec_rate) },
			{ key: 'goal', label: '绩效目标', render: (p) => (p.goal_status
				? statusBadge({ key: p.goal_status, label: p.goal_status_label })
				: h('span', { class: 'badge st-none' }, '未申报')) },
			{ key: 'status', label: '自评状态', render: (p) => (p.eval
				? statusBadge({ key: p.eval.status, label: p.eval.status_label }) : statusBadge(null)) },
			{ key: 'score', label: '得分', sort: 'score', class: 'num', render: (p) => (p.eval && p.eval.total) || '—' },
			{ key: 'grade', label: '等级', render: (p) => gradeBadge(p.eval && p.eval.grade) },
			{ key: 'findings', label: '问题', render: (p) => {
				if (!p.eval) return '—';
				const out = [];
				if (p.eval.errors) out.push(h('span', { class: 'badge err', title: '错误' }, '错误 ' + p.eval.errors));
				if (p.eval.warnings) out.push(h('span', { class: 'badge warn', title: '提醒' }, '提醒 ' + p.eval.warnings));
				return out.length ? h('span', { class: 'nowrap' }, out) : h('span', { class: 'badge ok' }, '无');
			} },
			{ key: 'updated', label: '更新时间', sort: 'updated', class: 'nowrap', render: (p) => dt(p.updated_at) });
		return cols;
	}

	async function load() {
		const my = ++seq;
		listBox.setAttribute('aria-busy', 'true');
		if (!listBox.firstChild) listBox.appendChild(spinner());
		else listBox.classList.add('loading');
		const page = Math.max(1, parseInt(state.page || '1', 10) || 1);
		const query = { ...state, page, per_page: PER_PAGE };
		let data;
		try {
			data = await get('/api/projects', query);
		} catch (err) {
			if (my !== seq) return;
			clear(listBox);
			listBox.classList.remove('loading');
			listBox.setAttribute('aria-busy', 'false');
			if (err instanceof ApiError && err.status === 401) return;
			listBox.appendChild(h('div', { class: 'notice error', role: 'alert' },
				'无法加载项目列表：' + err.message + (err.field ? '（' + err.field + '）' : '')));
			if (err.field) fieldError(filters, err.field, err.message);
			return;
		}
		if (my !== seq || !ctx.alive()) return;
		clearFieldErrors(filters);
		clear(listBox);
		listBox.classList.remove('loading');
		const sort = state.sort || 'code';
		const sortKey = sort.replace(/^-/, '');
		const sortDesc = sort.startsWith('-');
		countNote.textContent = filtered() ? '符合条件的项目 ' + data.total + ' 个' : '共 ' + data.total + ' 个项目';
		listBox.appendChild(table(columns(), data.items, {
			sortKey, sortDesc,
			empty: filtered() ? '没有符合条件的项目，请调整筛选条件。' : (canCreate && user.role === 'unit_filer'
				? '本单位还没有项目，点击“新建项目”开始填报。' : '暂无项目。'),
			onSort: (key) => {
				if (key === sortKey) state.sort = sortDesc ? key : '-' + key;
				else state.sort = DESC_FIRST.has(key) ? '-' + key : key;
				delete state.page;
				apply();
				requestAnimationFrame(() => {
					const b = listBox.querySelector('.sort-btn[data-sort="' + key + '"]');
					if (b) b.focus();
				});
			},
		}));
		if (data.total > PER_PAGE) {
			listBox.appendChild(pager(data.total, page, PER_PAGE, (p) => {
				state.page = String(p);
				apply();
				root.scrollIntoView({ block: 'start' });
			}));
		}
		listBox.setAttribute('aria-busy', 'false');
	}

	function filtered() {
		return ['year', 'dept_id', 'unit_id', 'status', 'grade', 'has_errors', 'q'].some((k) => state[k]);
	}

	/* ---- 新建项目 ---- */
	async function openCreate() {
		await setup;
		const year = String(new Date().getFullYear());
		const f = {
			code: h('input', { id: 'np-code', type: 'text', 'data-field': 'code', maxlength: 64, autocomplete: 'off',
				placeholder: '如 ' + year + '-JY-001' }),
			name: h('input', { id: 'np-name', type: 'text', 'data-field': 'name', maxlength: 200, autocomplete: 'off' }),
			type: h('input', { id: 'np-type', type: 'text', 'data-field': 'type', maxlength: 100, list: 'np-types',
				autocomplete: 'off', placeholder: '可不填' }),
			year: h('input', { id: 'np-year', type: 'text', inputmode: 'numeric', 'data-field': 'year', maxlength: 4,
				value: state.year || year }),
			start: h('input', { id: 'np-start', type: 'date', 'data-field': 'start_date' }),
			end: h('input', { id: 'np-end', type: 'date', 'data-field': 'end_date' }),
			unit: user.role === 'admin' ? h('select', { id: 'np-unit', 'data-field': 'unit_id' },
				option('', '请选择实施单位', ''), units.map((u) => option(String(u.id), u.name, ''))) : null,
		};
		const req = () => h('span', { class: 'req', 'aria-hidden': 'true' }, '*');
		const body = h('div', { class: 'form-grid' },
			h('div', { class: 'field' }, h('label', { for: 'np-code' }, '项目编码', req()), f.code,
				h('div', { class: 'hint' }, '全系统唯一，不含空格')),
			h('div', { class: 'field' }, h('label', { for: 'np-year' }, '年度', req()), f.year),
			h('div', { class: 'field full' }, h('label', { for: 'np-name' }, '项目名称', req()), f.name),
			h('div', { class: 'field' }, h('label', { for: 'np-type' }, '项目类型'), f.type,
				h('datalist', { id: 'np-types' }, ['专项', '常规', '一次性', '经常性', '基本建设'].map((t) => h('option', { value: t })))),
			f.unit ? h('div', { class: 'field' }, h('label', { for: 'np-unit' }, '实施单位', req()), f.unit)
				: h('div', { class: 'field' }, h('span', { class: 'label' }, '实施单位'),
					h('div', { class: 'static' }, user.org ? user.org.name : '')),
			h('div', { class: 'field' }, h('label', { for: 'np-start' }, '开始日期'), f.start),
			h('div', { class: 'field' }, h('label', { for: 'np-end' }, '结束日期'), f.end));
		let created = null;
		const ok = await modal({
			title: '新建项目', body, okLabel: '创建', wide: true,
			onOk: async () => {
				clearFieldErrors(body);
				const v = {
					code: f.code.value.trim(), name: f.name.value.trim(), type: f.type.value.trim(),
					year: f.year.value.trim(), start: f.start.value, end: f.end.value,
				};
				const errs = [];
				if (!v.code) errs.push(['code', '请填写项目编码']);
				else if (/\s/.test(v.code)) errs.push(['code', '项目编码不能包含空格']);
				if (!v.name) errs.push(['name', '请填写项目名称']);
				if (!/^\d{4}$/.test(v.year) || +v.year < 1990 || +v.year > 2100) errs.push(['year', '年度应为 1990 至 2100 之间的四位数字']);
				if (f.unit && !f.unit.value) errs.push(['unit_id', '请选择实施单位']);
				if (v.start && v.end && v.end < v.start) errs.push(['end_date', '结束日期不能早于开始日期']);
				if (errs.length) {
					for (const [k, m] of errs) fieldError(body, k, m);
					const first = body.querySelector('[aria-invalid="true"]');
					if (first) first.focus();
					return false;
				}
				const payload = { code: v.code, name: v.name, year: Number(v.year) };
				if (v.type) payload.type = v.type;
				if (v.start) payload.start_date = v.start;
				if (v.end) payload.end_date = v.end;
				if (f.unit) payload.unit_id = Number(f.unit.value);
				try {
					created = await post('/api/projects', payload);
					return true;
				} catch (err) {
					if (err instanceof ApiError && err.status !== 401) {
						fieldError(body, err.field || '', err.message);
						const bad = err.field && body.querySelector('[aria-invalid="true"]');
						if (bad) bad.focus();
						return false;
					}
					throw err;
				}
			},
		});
		if (ok && created) {
			toast('项目“' + created.name + '”已创建', 'ok');
			ctx.nav('#/projects/' + created.id);
		}
	}

	await setup;
	if (!ctx.alive()) return;
	await load();
	if (params.query.get('new') === '1' && canCreate) {
		ctx.replace(hashOf(state));
		openCreate();
	}
}
