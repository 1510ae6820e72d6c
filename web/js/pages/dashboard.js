/*
 * dashboard.js - #/dashboard, the oversight board (监督看板) of a fiscal
 * year: key figures, and charts (Apache ECharts, served locally at
 * /vendor/echarts.min.js) of the grades, the execution rate of each
 * department against the time progress (序时进度), the score distribution,
 * the self-evaluation status of each department, the most common audit
 * findings and the projects with errors. Data: GET /api/dashboard
 * (docs/api/board.md); the server limits every figure to the caller's
 * part of the organisation tree.
 *
 * The hash query holds the state: #/dashboard?year=2024&dept_id=2. Without
 * a year the current year is shown when it has projects, else the latest
 * year that has. Clicking a department (bar or table row) drills down to
 * it; clicking a project opens it; clicking a grade opens the project list
 * filtered by that grade.
 *
 * Every chart has a data table (数据表 button) with the same figures for
 * keyboard and screen-reader users. Tooltips are drawn on the canvas
 * (renderMode richText): ECharts' HTML tooltips carry inline style
 * attributes, which the server's CSP forbids.
 */
import { get } from '../api.js';
import { h, clear, fen, pct, spinner, table } from '../ui.js';

const FONT = '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';
const C = {
	accent: '#1f5fa8',
	lag: '#c0392b',
	ok: '#2e7d32',
	warn: '#c88a12',
	grey: '#9aa3ad',
	light: '#d5d9de',
	text: '#333',
	rule: '#e3e6ea',
};
const GRADE_COLORS = { 优: C.ok, 良: C.accent, 中: C.warn, 差: C.lag, other: '#7e57c2', none: C.grey };
const STATUS_COLORS = {
	draft: '#b0b7bf', submitted: '#6fa8dc', dept_approved: C.accent,
	finance_approved: C.ok, returned: C.lag, none: C.light,
};
const SCORE_COLORS = [C.lag, C.warn, C.warn, C.accent, C.ok];

/* The audit's finding codes (src/core/audit.c, docs/format.md) in Chinese. */
const FINDINGS = {
	WEIGHT_SUM: ['分值合计不符', '预算执行率与各三级指标的分值合计不等于规则方案规定的总分（100分）'],
	LEVEL1_WEIGHT: ['一级指标分值占比不符', '一级指标的分值合计与规则方案规定的占比不同'],
	TOTAL_MISMATCH: ['总分与各项得分不符', '总分不等于各项得分之和，或与按规则计算的总分不同'],
	SCORE_OVER_WEIGHT: ['得分超过分值', '某项得分超过了该指标的分值（不设加分项）'],
	SCORE_MISMATCH: ['得分与完成情况不符', '填报的得分与按实际完成值和规则应得的分数不符'],
	COMPLETION_MISMATCH: ['完成率计算有误', '填报的完成率与“实际完成值÷年度指标值”不符'],
	EXEC_RATE_MISMATCH: ['预算执行率计算有误', '填报的预算执行率与“执行数÷全年预算数”不符'],
	EXEC_SCORE_MISMATCH: ['预算执行率得分有误', '预算执行率的得分与规则不符'],
	GRADE_MISMATCH: ['评价等级与总分不符', '填报的评价等级不是总分对应的等级'],
	FUNDS_MISMATCH: ['资金数据不一致', '项目资金表的分项、合计、结余、到位率或执行率对不上'],
	MISSING_DEVIATION_REASON: ['缺少偏差原因分析', '目标未完成或大幅超出，但未填写偏差原因分析及改进措施'],
	MISSING_VALUE: ['指标值或得分未填写', '年度指标值、实际完成值、分值或得分为空'],
	UNPARSED_VALUE: ['指标值无法识别', '年度指标值或实际完成值无法识别，无法核对'],
	UNIT_MISMATCH: ['计量单位不一致', '年度指标值与实际完成值的计量单位无法比较'],
	LARGE_DEVIATION: ['实际完成值偏差过大', '实际完成值远超（或远低于）年度指标值，目标可能设定不当'],
};

export function findingName(code) {
	return FINDINGS[code] ? FINDINGS[code][0] : code;
}

/* ---- page state (one dashboard at a time) ------------------------------ */

let state = null; /* {charts: [], onResize, raf, observer} */
let renderSeq = 0;
let echartsPromise = null;
let cssPromise = null;
const deptCache = new Map(); /* "user:year" → department rows of the overview */

function cleanup() {
	if (!state) return;
	window.removeEventListener('resize', state.onResize);
	if (state.observer) state.observer.disconnect();
	if (state.raf) cancelAnimationFrame(state.raf);
	for (const c of state.charts) {
		try {
			c.dispose();
		} catch {
			/* already gone with its element */
		}
	}
	state = null;
}

export function leave() {
	cleanup();
	return true;
}

/* The page's stylesheet, once (CSP: style-src 'self' allows a <link>). */
function loadCss() {
	if (cssPromise) return cssPromise;
	cssPromise = new Promise((resolve) => {
		let link = document.querySelector('link[data-page-css="dashboard"]');
		if (link && link.sheet) return resolve();
		if (!link) {
			link = document.createElement('link');
			link.rel = 'stylesheet';
			link.href = '/css/dashboard.css';
			link.dataset.pageCss = 'dashboard';
			document.head.appendChild(link);
		}
		const t = setTimeout(resolve, 3000);
		link.addEventListener('load', () => { clearTimeout(t); resolve(); }, { once: true });
		link.addEventListener('error', () => { clearTimeout(t); cssPromise = null; resolve(); }, { once: true });
	});
	return cssPromise;
}

/* ECharts as a classic script, once; it defines window.echarts. */
function loadEcharts() {
	if (window.echarts) return Promise.resolve(window.echarts);
	if (echartsPromise) return echartsPromise;
	echartsPromise = new Promise((resolve, reject) => {
		const s = document.createElement('script');
		s.src = '/vendor/echarts.min.js';
		s.async = true;
		s.dataset.vendor = 'echarts';
		s.addEventListener('load', () => {
			if (window.echarts) resolve(window.echarts);
			else reject(new Error('图表组件加载失败'));
		}, { once: true });
		s.addEventListener('error', () => {
			s.remove();
			echartsPromise = null;
			reject(new Error('图表组件加载失败，请刷新页面重试'));
		}, { once: true });
		document.head.appendChild(s);
	});
	return echartsPromise;
}

/* ---- small helpers ----------------------------------------------------- */

function parseIntParam(s, min, max) {
	if (s === null || s === undefined || !/^\d{1,9}$/.test(s)) return null;
	const n = Number(s);
	return n >= min && n <= max ? n : null;
}

function deptKey(row) {
	return row.kind === 'direct' ? 0 : row.dept && row.dept.id;
}

function deptName(row) {
	return row.dept ? row.dept.name : '合计';
}

function countOf(list, key) {
	const it = (list || []).find((x) => x.key === key);
	return it ? it.count : 0;
}

function sum(list) {
	return (list || []).reduce((a, x) => a + (x.count || 0), 0);
}

function isNeg(dec) {
	return typeof dec === 'string' && dec.startsWith('-') && /[1-9]/.test(dec);
}

function isPos(dec) {
	return typeof dec === 'string' && !dec.startsWith('-') && /[1-9]/.test(dec);
}

/* "12.5%" of a count, for display only */
function share(n, total) {
	if (!total) return '—';
	return (Math.round((n * 1000) / total) / 10).toString() + '%';
}

function gapText(gap) {
	if (gap === null || gap === undefined) return '—';
	if (isNeg(gap)) return '落后 ' + gap.slice(1) + ' 个百分点';
	if (isPos(gap)) return '超前 ' + gap.replace(/^\+/, '') + ' 个百分点';
	return '与序时进度持平';
}

function scoreLabel(b) {
	if (b.min === '0' || /^\[0,/.test(b.range)) return b.max + '分以下';
	if (/\]$/.test(b.range)) return b.min + '分及以上';
	return b.min + '～' + b.max + '分';
}

function scoreRangeText(b) {
	const closed = /\]$/.test(b.range);
	if (b.min === '0') return '得分 < ' + b.max + '（含负分）';
	return b.min + ' ≤ 得分 ' + (closed ? '≤ ' : '< ') + b.max + (closed ? '（含超过' + b.max + '分）' : '');
}

function hashFor(base, q) {
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(q)) if (v !== null && v !== undefined && v !== '') p.set(k, String(v));
	const s = p.toString();
	return base + (s ? '?' + s : '');
}

/* ---- render ------------------------------------------------------------ */

export async function render(root, params, ctx) {
	cleanup();
	const seq = ++renderSeq;
	const q = (params && params.query) || new URLSearchParams();
	const user = (ctx && ctx.user) || {};
	const nav = (ctx && ctx.nav) || ((hash) => { location.hash = hash; });
	const wide = user.role === 'finance_reviewer' || user.role === 'admin';
	const askYear = parseIntParam(q.get('year'), 1900, 9999);
	const askDept = q.has('dept_id') ? parseIntParam(q.get('dept_id'), 0, 2 ** 53) : null;

	const page = h('section', { class: 'dash', 'aria-labelledby': 'dash-title' });
	const head = h('div', { class: 'dash-head' },
		h('div', { class: 'dash-titles' },
			h('h1', { id: 'dash-title' }, '监督看板')));
	page.appendChild(head);
	const body = h('div', { class: 'dash-body' }, spinner('正在汇总数据…'));
	page.appendChild(body);
	root.appendChild(page);
	const stale = () => seq !== renderSeq || !page.isConnected;

	if (q.has('dept_id') && askDept === null) {
		clear(body);
		body.appendChild(errorBox('主管部门参数不正确', askYear));
		return;
	}

	/* the figures, the years that have projects, and the department list */
	let data, years, deptRows, anyYear;
	try {
		const query = { year: askYear, dept_id: askDept };
		const [first, newest, oldest] = await Promise.all([
			get('/api/dashboard', query),
			get('/api/projects', { sort: '-year', per_page: 1 }),
			get('/api/projects', { sort: 'year', per_page: 1 }),
		]);
		data = first;
		const maxYear = newest.items.length ? newest.items[0].year : null;
		const minYear = oldest.items.length ? oldest.items[0].year : null;
		anyYear = maxYear !== null;
		if (askYear === null && data.total.projects === 0 && maxYear !== null && maxYear !== data.year)
			data = await get('/api/dashboard', { year: maxYear, dept_id: askDept });
		const thisYear = Number(String(data.today || '').slice(0, 4)) || new Date().getUTCFullYear();
		const lo = Math.min(minYear ?? thisYear, data.year, thisYear);
		const hi = Math.max(maxYear ?? thisYear, data.year, thisYear);
		years = [];
		for (let y = hi; y >= lo && years.length < 60; y--) years.push(y);
		if (!years.includes(data.year)) years.push(data.year);
		const ck = user.id + ':' + data.year;
		deptRows = askDept === null ? data.departments : deptCache.get(ck) || null;
		if (deptRows === null && wide) {
			const all = await get('/api/dashboard', { year: data.year });
			deptRows = all.departments;
		}
		if (askDept === null) deptCache.set(ck, data.departments);
		else if (deptRows) deptCache.set(ck, deptRows);
	} catch (err) {
		if (stale()) return;
		clear(body);
		const msg = err && err.field === 'dept_id'
			? '该主管部门不存在，或不在您的查看范围内'
			: (err && err.message) || '数据加载失败';
		body.appendChild(errorBox(msg, askYear));
		return;
	}
	if (stale()) return;

	const year = data.year;
	const drilled = data.dept_id !== null && data.dept_id !== undefined || askDept !== null;
	const canDrill = !drilled && data.departments.length > 1;
	const deptParam = drilled ? askDept : null;
	const listDept = drilled && askDept > 0 ? askDept : null;
	const listOk = !(drilled && askDept === 0); /* /api/projects has no 财政直管单位 filter */
	const isUnit = user.role === 'unit_filer';
	const rowName = (r) => (isUnit && r.kind !== 'total' && user.org ? user.org.name : deptName(r));
	const rowHead = isUnit ? '实施单位' : '主管部门';
	const view = { data, year, drilled, canDrill, deptParam, listDept, listOk, nav, user, rowName, rowHead };

	/* header: scope line and the selectors */
	head.firstChild.appendChild(scopeLine(view));
	head.appendChild(filters(view, years, wide ? deptRows : null));

	clear(body);
	if (!anyYear)
		body.appendChild(h('p', { class: 'dash-notice notice warn', role: 'status' },
			'暂无任何年度的项目数据。单位填报项目后，这里将显示汇总。'));
	else if (data.total.projects === 0)
		body.appendChild(h('p', { class: 'dash-notice notice warn', role: 'status' },
			year + ' 年度暂无项目数据，请选择其他年度。'));

	body.appendChild(kpis(view));
	const grid = h('div', { class: 'dash-grid' });
	body.appendChild(grid);

	const cards = [
		gradeCard(view),
		execCard(view),
		scoreCard(view),
		statusCard(view),
		findingsCard(view),
		errorsCard(view),
	];
	for (const c of cards) grid.appendChild(c.node);

	await loadCss();
	if (stale()) return;
	let echarts;
	try {
		echarts = await loadEcharts();
	} catch (err) {
		if (stale()) return;
		for (const c of cards) if (c.chart) c.chart.el.replaceChildren(h('p', { class: 'dash-empty' }, err.message));
		return;
	}
	if (stale()) return;

	const reduced = window.matchMedia && window.matchMedia('(prefers-reduced-motion: reduce)').matches;
	const charts = [];
	for (const c of cards) {
		if (!c.chart) continue;
		const { el, option, onClick } = c.chart;
		if (!option) continue;
		const inst = echarts.init(el, null, { renderer: 'canvas', locale: 'ZH' });
		inst.setOption(Object.assign({
			animation: !reduced,
			animationDuration: 300,
			animationDurationUpdate: 200,
			textStyle: { fontFamily: FONT, color: C.text },
		}, option));
		if (onClick) inst.on('click', onClick);
		charts.push(inst);
	}
	const st = { charts, raf: 0, onResize: null };
	st.onResize = () => {
		if (st.raf) return;
		st.raf = requestAnimationFrame(() => {
			st.raf = 0;
			for (const inst of st.charts) if (!inst.isDisposed()) inst.resize();
		});
	};
	window.addEventListener('resize', st.onResize);
	/* also when the page's width changes without the window's (a scroll bar) */
	if (window.ResizeObserver) {
		let w = grid.clientWidth;
		st.observer = new ResizeObserver(() => {
			if (grid.clientWidth !== w) {
				w = grid.clientWidth;
				st.onResize();
			}
		});
		st.observer.observe(grid);
	}
	state = st;
}

function errorBox(msg, year) {
	return h('div', { class: 'dash-error notice error', role: 'alert' },
		h('p', null, msg),
		h('p', null, h('a', { href: hashFor('#/dashboard', { year }) }, '返回全部主管部门')));
}

function scopeLine(view) {
	const { data, year, drilled, user } = view;
	const parts = [year + ' 年度'];
	const org = user.org || {};
	if (user.role === 'unit_filer') {
		parts.push('实施单位：' + (org.name || '本单位') + '（仅本单位的项目）');
	} else if (drilled) {
		const row = data.departments[0];
		parts.push((row && row.kind === 'direct' ? '' : '主管部门：') + (row ? deptName(row) : ''));
	} else if (user.role === 'dept_reviewer') {
		parts.push('主管部门：' + (org.name || '') + '（本部门所属单位的项目）');
	} else {
		parts.push(data.departments.some((r) => r.kind === 'direct')
			? '全部主管部门及财政直管单位' : '全部主管部门');
	}
	const tp = data.time_progress;
	if (tp === '100') parts.push('序时进度 100%（以前年度）');
	else if (tp === '0') parts.push('序时进度 0%（以后年度）');
	else parts.push('序时进度 ' + pct(tp) + '（截至 ' + data.today + '）');
	return h('p', { class: 'dash-scope', id: 'dash-scope' }, parts.join(' · '));
}

function filters(view, years, deptRows) {
	const { year, drilled, deptParam, nav } = view;
	const yearSel = h('select', { id: 'dash-year', 'aria-describedby': 'dash-scope' },
		years.map((y) => h('option', { value: String(y), selected: y === year }, y + ' 年')));
	yearSel.addEventListener('change', () => {
		nav(hashFor('#/dashboard', { year: yearSel.value, dept_id: deptParam }));
	});
	const box = h('div', { class: 'dash-filters', role: 'group', 'aria-label': '筛选' },
		h('label', { class: 'dash-filter' }, h('span', null, '年度'), yearSel));
	if (deptRows && deptRows.length > 0) {
		const deptSel = h('select', { id: 'dash-dept' },
			h('option', { value: '' }, '全部主管部门'),
			deptRows.map((r) => {
				const id = deptKey(r);
				return h('option', { value: String(id), selected: drilled && id === deptParam },
					deptName(r) + '（' + r.projects + ' 个项目）');
			}));
		deptSel.addEventListener('change', () => {
			nav(hashFor('#/dashboard', { year, dept_id: deptSel.value }));
		});
		box.appendChild(h('label', { class: 'dash-filter' }, h('span', null, '主管部门'), deptSel));
		if (drilled)
			box.appendChild(h('a', { class: 'btn dash-back', href: hashFor('#/dashboard', { year }) },
				'返回全部主管部门'));
	}
	return box;
}

/* ---- key figures ------------------------------------------------------- */

function kpis(view) {
	const { data, year, listDept, listOk } = view;
	const t = data.total;
	const listHash = (extra) => (listOk ? hashFor('#/projects', Object.assign({ year, dept_id: listDept }, extra)) : null);
	const rate = t.execution_rate;
	const items = [
		{ key: 'projects', label: '项目数', value: t.projects, unit: '个',
			note: '全年预算 ' + fen(t.annual_fen) + ' 万元', href: listHash({}) },
		{ key: 'evals', label: '已自评', value: t.evals, unit: '个',
			note: '未填报 ' + countOf(t.by_status, 'none') + ' 个', href: null },
		{ key: 'finance_approved', label: '财政已审核', value: countOf(t.by_status, 'finance_approved'), unit: '个',
			note: '主管部门已审核 ' + countOf(t.by_status, 'dept_approved') + ' 个',
			href: listHash({ status: 'finance_approved' }) },
		{ key: 'error_projects', label: '有错误的项目', value: t.error_projects.count, unit: '个',
			note: '自评表存在错误', href: listHash({ has_errors: 1 }),
			cls: t.error_projects.count > 0 ? 'bad' : '' },
		{ key: 'missing_reasons', label: '缺偏差原因的指标', value: t.missing_deviation_reasons, unit: '项',
			note: '未填写偏差原因分析及改进措施', href: null,
			cls: t.missing_deviation_reasons > 0 ? 'bad' : '' },
		{ key: 'execution_rate', label: '整体执行率', value: rate === null ? '—' : rate, unit: rate === null ? '' : '%',
			note: '序时进度 ' + pct(t.time_progress) + (t.gap === null ? '' : '，' + gapText(t.gap)), href: null,
			cls: isNeg(t.gap) ? 'bad' : '' },
	];
	return h('ul', { class: 'dash-kpis', 'aria-label': '主要指标' }, items.map((k) => {
		const inner = [
			h('span', { class: 'kpi-label' }, k.label),
			h('span', { class: 'kpi-figure' },
				h('span', { class: 'kpi-value' }, String(k.value)),
				k.unit ? h('span', { class: 'kpi-unit' }, k.unit) : null),
			h('span', { class: 'kpi-note' }, k.note),
		];
		return h('li', { class: ['kpi', k.cls], 'data-kpi': k.key },
			k.href ? h('a', { class: 'kpi-link', href: k.href, title: '在项目列表中查看' }, inner) : h('div', { class: 'kpi-box' }, inner));
	}));
}

/* ---- chart cards ------------------------------------------------------- */

let cardSeq = 0;

/* A card: title, note, 数据表 toggle, the chart box and the table. */
function card(key, title, note, tableNode, opts = {}) {
	const id = 'dash-' + key + '-' + (++cardSeq);
	const chartEl = opts.noChart ? null
		: h('div', { class: ['dash-chart', opts.chartClass], 'data-chart': key, role: 'img',
			'aria-label': title + '（图表；数据见“数据表”）' });
	const tableBox = tableNode ? h('div', { class: 'dash-table', id: id + '-table', hidden: !opts.tableOpen }, tableNode) : null;
	let toggle = null;
	if (tableBox && !opts.tableOpen) {
		toggle = h('button', { type: 'button', class: 'btn small dash-table-btn', 'aria-expanded': 'false',
			'aria-controls': id + '-table' }, '数据表');
		toggle.addEventListener('click', () => {
			const open = tableBox.hidden;
			tableBox.hidden = !open;
			toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
			toggle.textContent = open ? '收起数据表' : '数据表';
		});
	}
	const node = h('section', { class: ['dash-card', 'dash-card-' + key], 'aria-labelledby': id + '-t' },
		h('header', { class: 'dash-card-head' },
			h('h2', { id: id + '-t' }, title),
			note ? h('span', { class: 'dash-card-note' }, note) : null,
			toggle),
		chartEl, tableBox);
	return { node, chartEl };
}

function emptyChart(el, text) {
	el.classList.add('is-empty');
	el.removeAttribute('role');
	el.removeAttribute('aria-label');
	el.appendChild(h('p', { class: 'dash-empty' }, text || '暂无数据'));
	return { el, option: null };
}

function tooltip(extra) {
	return Object.assign({
		renderMode: 'richText', confine: true,
		backgroundColor: 'rgba(255,255,255,0.97)', borderColor: '#b8c0c8', borderWidth: 1,
		textStyle: { fontFamily: FONT, fontSize: 12, color: C.text },
	}, extra);
}

function rowsWithProjects(data) {
	return data.departments.filter((r) => r.projects > 0);
}

/* a horizontal bar chart of many rows grows (CSSOM: allowed by the CSP) */
function barHeight(el, n) {
	if (n > 7) el.style.height = Math.min(70 + n * 28, 900) + 'px';
}

function shortName(name) {
	return name.length > 10 ? name.slice(0, 9) + '…' : name;
}

/* 评价等级分布: a doughnut; a slice opens the project list of that grade */
function gradeCard(view) {
	const { data, year, listDept, listOk, nav } = view;
	const t = data.total;
	const rows = t.by_grade;
	const clickable = (k) => listOk && k !== 'none' && k !== 'other';
	const tbl = table([
		{ key: 'label', label: '评价等级' },
		{ key: 'count', label: '项目数', class: 'num' },
		{ key: 'share', label: '占比', class: 'num', render: (r) => share(r.count, t.projects) },
		{ key: 'go', label: '项目', render: (r) => (clickable(r.key) && r.count > 0
			? h('a', { href: hashFor('#/projects', { year, dept_id: listDept, grade: r.key }) }, '查看')
			: '—') },
	], rows, { caption: '评价等级分布（共 ' + t.projects + ' 个项目）' });
	const { node, chartEl } = card('grade', '评价等级分布', '共 ' + t.projects + ' 个项目', tbl);
	if (t.projects === 0) return { node, chart: emptyChart(chartEl) };
	const items = rows.filter((r) => r.count > 0).map((r) => ({
		name: r.label, value: r.count, key: r.key,
		itemStyle: { color: GRADE_COLORS[r.key] || GRADE_COLORS.other },
		cursor: clickable(r.key) ? 'pointer' : 'default',
	}));
	const option = {
		tooltip: tooltip({ trigger: 'item', formatter: (p) => p.name + '：' + p.value + ' 个（' + share(p.value, t.projects) + '）' +
			(clickable(p.data.key) ? '\n点击查看项目' : '') }),
		legend: { orient: 'vertical', right: 8, top: 'middle', itemWidth: 12, itemHeight: 12,
			textStyle: { fontFamily: FONT }, selectedMode: false },
		series: [{
			type: 'pie', name: '评价等级', radius: ['38%', '66%'], center: ['42%', '52%'],
			avoidLabelOverlap: true, minShowLabelAngle: 0,
			itemStyle: { borderColor: '#fff', borderWidth: 2 },
			label: { formatter: (p) => p.name + ' ' + p.value + '个\n' + share(p.value, t.projects), fontSize: 12, lineHeight: 16 },
			data: items,
		}],
	};
	const onClick = (p) => {
		if (p.componentType === 'series' && p.data && clickable(p.data.key))
			nav(hashFor('#/projects', { year, dept_id: listDept, grade: p.data.key }));
	};
	return { node, chart: { el: chartEl, option, onClick } };
}

/* 各部门预算执行率与序时进度: horizontal bars, a dashed line at the time progress */
function execCard(view) {
	const { data, year, canDrill, nav } = view;
	const tp = data.time_progress;
	const drillHash = (r) => hashFor('#/dashboard', { year, dept_id: deptKey(r) });
	const all = data.departments.concat(data.departments.length > 1 ? [data.total] : []);
	const tbl = table([
		{ key: 'dept', label: view.rowHead, render: (r) => (r.kind === 'total' ? '合计'
			: canDrill ? h('a', { href: drillHash(r), title: '查看该部门' }, view.rowName(r)) : view.rowName(r)) },
		{ key: 'projects', label: '项目数', class: 'num' },
		{ key: 'annual', label: '全年预算数（万元）', class: 'num', render: (r) => fen(r.annual_fen) },
		{ key: 'executed', label: '全年执行数（万元）', class: 'num', render: (r) => fen(r.executed_fen) },
		{ key: 'rate', label: '预算执行率', class: 'num', render: (r) => pct(r.execution_rate) },
		{ key: 'gap', label: '与序时进度', render: (r) => gapText(r.gap) },
	], all, { caption: '各部门预算执行情况（序时进度 ' + pct(tp) + '）',
		rowClass: (r) => [r.kind === 'total' ? 'total' : null, isNeg(r.gap) ? 'lag' : null].filter(Boolean).join(' ') || null });
	const rows = rowsWithProjects(data).filter((r) => r.execution_rate !== null);
	const single = data.departments.length === 1;
	const note = single && rows.length === 1
		? '全年预算 ' + fen(rows[0].annual_fen) + ' 万元，执行 ' + fen(rows[0].executed_fen) + ' 万元'
		: rows.length ? '红色：落后于序时进度' : '';
	const { node, chartEl } = card('exec', '预算执行率与序时进度', note, tbl);
	if (rows.length === 0) return { node, chart: emptyChart(chartEl, rowsWithProjects(data).length ? '暂无预算数据' : '暂无数据') };
	if (single) {
		const who = view.rowName(rows[0]);
		return { node, chart: execSingle(chartEl, rows[0], tp, who) };
	}
	barHeight(chartEl, rows.length);
	const item = (r, lag) => (isNeg(r.gap) === lag
		? { value: Number(r.execution_rate), rate: r.execution_rate, row: r } : '-');
	const tpNum = Number(tp);
	const maxRate = Math.max(100, tpNum, ...rows.map((r) => Number(r.execution_rate)));
	const series = (name, lag, color) => ({
		type: 'bar', name, stack: 'rate', barMaxWidth: 22,
		itemStyle: { color },
		label: { show: true, position: 'right', fontSize: 11, formatter: (p) => p.data.rate + '%' },
		data: rows.map((r) => item(r, lag)),
		cursor: canDrill ? 'pointer' : 'default',
	});
	const ok = series('不低于序时进度', false, C.accent);
	ok.markLine = {
		symbol: 'none', silent: true,
		lineStyle: { color: '#444', type: 'dashed', width: 1.5 },
		label: { formatter: '序时进度 ' + tp + '%', position: 'start', fontSize: 11, color: '#444' },
		data: [{ xAxis: tpNum }],
	};
	const option = {
		grid: { left: 8, right: 56, top: 34, bottom: 8, containLabel: true },
		legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, selectedMode: false,
			data: ['不低于序时进度', '落后于序时进度'] },
		tooltip: tooltip({ trigger: 'item', formatter: (p) => {
			const r = p.data.row;
			return view.rowName(r) + '\n预算执行率 ' + pct(r.execution_rate) + '（序时进度 ' + pct(tp) + '）\n' +
				gapText(r.gap) + '\n全年预算 ' + fen(r.annual_fen) + ' 万元，执行 ' + fen(r.executed_fen) + ' 万元' +
				(canDrill ? '\n点击查看该部门' : '');
		} }),
		xAxis: { type: 'value', min: 0, max: Math.ceil(maxRate / 10) * 10,
			axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: C.rule } } },
		yAxis: { type: 'category', inverse: true, data: rows.map((r) => view.rowName(r)),
			axisLabel: { formatter: shortName, width: 150, overflow: 'truncate' }, axisTick: { show: false } },
		series: [ok, series('落后于序时进度', true, C.lag)],
	};
	const onClick = (p) => {
		if (canDrill && p.componentType === 'series' && p.data && p.data.row) nav(drillHash(p.data.row));
	};
	return { node, chart: { el: chartEl, option, onClick } };
}

/* One department (a drill-down, a department's own view): its execution
 * rate and the time progress side by side. */
function execSingle(el, r, tp, who) {
	const lag = isNeg(r.gap);
	const items = [
		{ value: Number(r.execution_rate), text: r.execution_rate, itemStyle: { color: lag ? C.lag : C.accent } },
		{ value: Number(tp), text: tp, itemStyle: { color: C.grey } },
	];
	const option = {
		grid: { left: 8, right: 64, top: 40, bottom: 8, containLabel: true },
		title: { text: who + '：' + gapText(r.gap), left: 0, top: 0,
			textStyle: { fontSize: 13, fontWeight: 'normal', color: lag ? C.lag : C.text, fontFamily: FONT } },
		tooltip: tooltip({ trigger: 'item', formatter: (p) => p.name + ' ' + p.data.text + '%' }),
		xAxis: { type: 'value', min: 0, max: Math.ceil(Math.max(100, items[0].value, items[1].value) / 10) * 10,
			axisLabel: { formatter: '{value}%' }, splitLine: { lineStyle: { color: C.rule } } },
		yAxis: { type: 'category', inverse: true, data: ['预算执行率', '序时进度'], axisTick: { show: false } },
		series: [{
			type: 'bar', name: who, barMaxWidth: 34,
			label: { show: true, position: 'right', fontSize: 12, formatter: (p) => p.data.text + '%' },
			data: items,
		}],
	};
	return { el, option };
}

/* 自评得分分布: the five buckets of the computed totals */
function scoreCard(view) {
	const { data } = view;
	const b = data.total.scores;
	const n = sum(b);
	const tbl = table([
		{ key: 'range', label: '得分区间', render: (r) => scoreLabel(r) },
		{ key: 'rule', label: '说明', render: (r) => scoreRangeText(r) },
		{ key: 'count', label: '自评表数', class: 'num' },
		{ key: 'share', label: '占比', class: 'num', render: (r) => share(r.count, n) },
	], b, { caption: '自评得分分布（已计算得分的自评表 ' + n + ' 份）' });
	const { node, chartEl } = card('score', '自评得分分布', n ? '已计算得分 ' + n + ' 份' : '', tbl);
	if (n === 0) return { node, chart: emptyChart(chartEl) };
	const option = {
		grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
		tooltip: tooltip({ trigger: 'item', formatter: (p) => scoreRangeText(b[p.dataIndex]) + '\n' + p.value + ' 份（' + share(p.value, n) + '）' }),
		xAxis: { type: 'category', data: b.map(scoreLabel), axisTick: { alignWithLabel: true } },
		yAxis: { type: 'value', name: '自评表（份）', minInterval: 1, nameTextStyle: { align: 'left' },
			splitLine: { lineStyle: { color: C.rule } } },
		series: [{
			type: 'bar', name: '自评表数', barMaxWidth: 48,
			label: { show: true, position: 'top', fontSize: 12 },
			data: b.map((r, i) => ({ value: r.count, itemStyle: { color: SCORE_COLORS[i] || C.accent } })),
		}],
	};
	return { node, chart: { el: chartEl, option } };
}

/* 各部门自评状态: stacked horizontal bars, one series per workflow state */
function statusCard(view) {
	const { data, year, canDrill, listDept, listOk, nav } = view;
	const rows = rowsWithProjects(data);
	const keys = (data.total.by_status || []).map((s) => ({ key: s.key, label: s.label }));
	const drillHash = (r) => hashFor('#/dashboard', { year, dept_id: deptKey(r) });
	const all = data.departments.concat(data.departments.length > 1 ? [data.total] : []);
	const tbl = table([
		{ key: 'dept', label: view.rowHead, render: (r) => (r.kind === 'total' ? '合计'
			: canDrill ? h('a', { href: drillHash(r) }, view.rowName(r)) : view.rowName(r)) },
		...keys.map((k) => ({ key: 's-' + k.key, label: k.label, class: 'num', render: (r) => String(countOf(r.by_status, k.key)) })),
		{ key: 'projects', label: '合计', class: 'num' },
	], all, { caption: '各部门自评状态（个）', rowClass: (r) => (r.kind === 'total' ? 'total' : null) });
	const single = data.departments.length === 1;
	const { node, chartEl } = card('status', single ? '自评状态' : '各部门自评状态',
		rows.length === 0 ? '' : canDrill ? '点击部门查看明细' : (listOk ? '点击状态查看项目' : ''), tbl);
	if (rows.length === 0) return { node, chart: emptyChart(chartEl) };
	const toList = (key) => {
		if (listOk) nav(hashFor('#/projects', { year, dept_id: listDept, status: key }));
	};
	if (single) {
		const r = rows[0];
		const option = {
			grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
			tooltip: tooltip({ trigger: 'item', formatter: (p) => view.rowName(r) + '\n' + p.name + '：' + p.value + ' 个（' +
				share(p.value, r.projects) + '）' + (listOk ? '\n点击查看项目' : '') }),
			xAxis: { type: 'category', data: keys.map((k) => k.label), axisTick: { alignWithLabel: true },
				axisLabel: { interval: 0, fontSize: 12 } },
			yAxis: { type: 'value', name: '项目（个）', minInterval: 1, nameTextStyle: { align: 'left' },
				splitLine: { lineStyle: { color: C.rule } } },
			series: [{
				type: 'bar', name: '自评状态', barMaxWidth: 44, cursor: listOk ? 'pointer' : 'default',
				label: { show: true, position: 'top', fontSize: 12 },
				data: keys.map((k) => ({ value: countOf(r.by_status, k.key), itemStyle: { color: STATUS_COLORS[k.key] || C.grey } })),
			}],
		};
		return { node, chart: { el: chartEl, option, onClick: (p) => { if (p.componentType === 'series') toList(keys[p.dataIndex].key); } } };
	}
	barHeight(chartEl, rows.length);
	const option = {
		grid: { left: 8, right: 16, top: 50, bottom: 8, containLabel: true },
		legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, itemGap: 10, textStyle: { fontSize: 12 } },
		tooltip: tooltip({ trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => {
			const r = rows[ps[0].dataIndex];
			return view.rowName(r) + '（' + r.projects + ' 个项目）\n' +
				ps.map((p) => p.seriesName + '：' + (p.value || 0) + ' 个').join('\n');
		} }),
		xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: C.rule } } },
		yAxis: { type: 'category', inverse: true, data: rows.map(view.rowName),
			axisLabel: { formatter: shortName, width: 150, overflow: 'truncate' }, axisTick: { show: false } },
		series: keys.map((k) => ({
			type: 'bar', name: k.label, stack: 'status', barMaxWidth: 22, key: k.key,
			itemStyle: { color: STATUS_COLORS[k.key] || C.grey },
			emphasis: { focus: 'series' },
			data: rows.map((r) => countOf(r.by_status, k.key)),
		})),
	};
	const onClick = (p) => {
		if (p.componentType !== 'series') return;
		const r = rows[p.dataIndex];
		if (!r) return;
		if (canDrill) nav(drillHash(r));
		else toList(keys[p.seriesIndex].key);
	};
	return { node, chart: { el: chartEl, option, onClick } };
}

/* 常见问题: the most common finding codes, errors and warnings stacked */
function findingsCard(view) {
	const { data } = view;
	const top = data.total.top_findings || [];
	const tbl = table([
		{ key: 'name', label: '问题', render: (r) => findingName(r.code) },
		{ key: 'desc', label: '说明', render: (r) => (FINDINGS[r.code] ? FINDINGS[r.code][1] : '—') },
		{ key: 'errors', label: '错误', class: 'num' },
		{ key: 'warnings', label: '警告', class: 'num' },
		{ key: 'count', label: '合计', class: 'num' },
	], top, { caption: '最常见的审核发现（条）' });
	const { node, chartEl } = card('findings', '常见问题', top.length ? '审核发现最多的 ' + top.length + ' 类' : '', tbl);
	if (top.length === 0) return { node, chart: emptyChart(chartEl) };
	barHeight(chartEl, top.length);
	const option = {
		grid: { left: 8, right: 40, top: 30, bottom: 8, containLabel: true },
		legend: { top: 0, left: 0, itemWidth: 12, itemHeight: 12, data: ['错误', '警告'] },
		tooltip: tooltip({ trigger: 'axis', axisPointer: { type: 'shadow' }, formatter: (ps) => {
			const r = top[ps[0].dataIndex];
			const d = FINDINGS[r.code] ? '\n' + FINDINGS[r.code][1] : '';
			return findingName(r.code) + '（' + r.code + '）\n错误 ' + r.errors + ' 条，警告 ' + r.warnings + ' 条' + d;
		} }),
		xAxis: { type: 'value', minInterval: 1, splitLine: { lineStyle: { color: C.rule } } },
		yAxis: { type: 'category', inverse: true, data: top.map((r) => findingName(r.code)),
			axisLabel: { width: 150, overflow: 'truncate' }, axisTick: { show: false } },
		series: [
			{ type: 'bar', name: '错误', stack: 'f', barMaxWidth: 20, itemStyle: { color: C.lag },
				data: top.map((r) => r.errors) },
			{ type: 'bar', name: '警告', stack: 'f', barMaxWidth: 20, itemStyle: { color: '#e0a93b' },
				label: { show: true, position: 'right', fontSize: 11, formatter: (p) => String(top[p.dataIndex].count) },
				data: top.map((r) => r.warnings) },
		],
	};
	return { node, chart: { el: chartEl, option } };
}

/* 存在错误的项目: the list itself (the first 20, most errors first) */
function errorsCard(view) {
	const { data, year, listDept, listOk } = view;
	const ep = data.total.error_projects;
	const tbl = table([
		{ key: 'code', label: '项目编号', render: (r) => h('a', { href: '#/projects/' + r.id }, r.code) },
		{ key: 'name', label: '项目名称', render: (r) => h('a', { href: '#/projects/' + r.id }, r.name) },
		{ key: 'errors', label: '错误数', class: 'num' },
	], ep.items, { caption: '存在错误的项目', empty: ep.count === 0 && data.total.projects > 0 ? '没有存在错误的项目' : '暂无数据' });
	const note = ep.count > ep.items.length
		? '共 ' + ep.count + ' 个，按错误数列出前 ' + ep.items.length + ' 个'
		: '共 ' + ep.count + ' 个';
	const { node } = card('errors', '存在错误的项目', note, null, { noChart: true });
	node.appendChild(h('div', { class: 'dash-list' }, tbl));
	if (ep.count > 0 && listOk)
		node.appendChild(h('p', { class: 'dash-more' },
			h('a', { href: hashFor('#/projects', { year, dept_id: listDept, has_errors: 1 }) }, '在项目列表中查看全部 ' + ep.count + ' 个')));
	return { node, chart: null };
}
