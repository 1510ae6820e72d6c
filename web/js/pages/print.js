/*
 * print.js - print views.
 *   #/evals/:id/print     the 项目支出绩效自评表 in the standard layout of the
 *                         forms units know: header block (项目名称, 主管部门,
 *                         实施单位), 项目资金 table, 年度总体目标, the indicator
 *                         table (一级/二级/三级指标 merged like the Excel form),
 *                         总分 and 评价等级, signature line.
 *   #/projects/:id/print  the project in brief: basic facts, money, payments,
 *                         adjustments, goals and self-evaluation.
 * A 打印 button calls window.print(); @media print in app.css hides the rest.
 */
import { get } from '../api.js';
import { h, fen, yuan, pct, dt } from '../ui.js';

function toolbar(back, backLabel, extra) {
	const printBtn = h('button', { type: 'button', class: 'btn primary', onclick: () => window.print() }, '打印');
	return h('div', { class: 'print-toolbar no-print' },
		h('a', { href: back, class: 'btn' }, '‹ ' + backLabel),
		h('div', { class: 'page-actions' }, extra || null, h('span', { class: 'hint' }, '建议使用 A4 纵向打印'), printBtn));
}

const td = (text, attrs) => h('td', attrs || null, text === null || text === undefined || text === '' ? '' : text);
const th = (text, attrs) => h('th', attrs || null, text);

/* the score column: the computed one, with the stated one beside it when they differ */
function scoreText(computed, stated) {
	if (computed === null || computed === undefined) return stated ?? '';
	return computed;
}

function rateText(r) {
	if (!r) return '';
	if (r.computed !== null && r.computed !== undefined) return pct(r.computed);
	return r.stated || '';
}

function evalSheet(e) {
	const rows = [];
	const f = e.funds;
	/* 9 columns: label | 一级 | 二级 | 三级 | 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因 */
	const colgroup = h('colgroup', null,
		h('col', { class: 'c-label' }), h('col', { class: 'c-l1' }), h('col', { class: 'c-l2' }), h('col', { class: 'c-l3' }),
		h('col', { class: 'c-target' }), h('col', { class: 'c-actual' }), h('col', { class: 'c-weight' }),
		h('col', { class: 'c-score' }), h('col', { class: 'c-reason' }));

	rows.push(h('tr', null, th('项目名称'), td(e.title, { colspan: 8, class: 'left' })));
	rows.push(h('tr', null, th('主管部门'), td(e.dept || '', { colspan: 3, class: 'left' }),
		th('实施单位'), td(e.unit || '', { colspan: 4, class: 'left' })));

	/* 项目资金 */
	const fundRows = [
		['年度资金总额', f ? fen(f.initial_fen) : '', f ? fen(f.annual_fen) : '', f ? fen(f.executed_fen) : '',
			f ? f.weight_stated || f.weight || '' : '', f ? rateText(f.rate) : '',
			f && f.score ? scoreText(f.score.computed, f.score.stated) : ''],
		['其中：当年财政拨款', '', '', '', '—', '', '—'],
		['上年结转资金', '', '', '', '—', '', '—'],
		['其他资金', '', '', '', '—', '', '—'],
	];
	rows.push(h('tr', null, th('项目资金（万元）', { rowspan: fundRows.length + 1 }), th('', { colspan: 2 }),
		th('年初预算数'), th('全年预算数'), th('全年执行数'), th('分值'), th('执行率'), th('得分')));
	for (const r of fundRows) {
		rows.push(h('tr', null, td(r[0], { colspan: 2, class: 'left' }),
			td(r[1], { class: 'num' }), td(r[2], { class: 'num' }), td(r[3], { class: 'num' }),
			td(r[4]), td(r[5]), td(r[6])));
	}

	/* 年度总体目标 */
	const goals = e.goals && e.goals.length ? e.goals : [{ expected: '', achieved: '' }];
	rows.push(h('tr', null, th('年度总体目标', { rowspan: goals.length + 1 }),
		th('预期目标', { colspan: 4 }), th('实际完成情况', { colspan: 4 })));
	for (const g of goals) {
		rows.push(h('tr', { class: 'goal-row' }, td(g.expected || '', { colspan: 4, class: 'left' }),
			td(g.achieved || '', { colspan: 4, class: 'left' })));
	}

	/* 绩效指标 */
	const lines = e.lines || [];
	rows.push(h('tr', null, th('绩效指标', { rowspan: lines.length + 1, class: 'vert' }),
		th('一级指标'), th('二级指标'), th('三级指标'), th('年度指标值'), th('实际完成值'),
		th('分值'), th('得分'), th('偏差原因分析及改进措施')));
	/* merge equal consecutive 一级 (and 二级 within it) like the Excel form */
	const span1 = new Array(lines.length).fill(0);
	const span2 = new Array(lines.length).fill(0);
	for (let i = 0; i < lines.length;) {
		let j = i;
		while (j < lines.length && lines[j].level1 === lines[i].level1) j++;
		span1[i] = j - i;
		for (let k = i; k < j;) {
			let m = k;
			while (m < j && (lines[m].level2 || '') === (lines[k].level2 || '')) m++;
			span2[k] = m - k;
			k = m;
		}
		i = j;
	}
	lines.forEach((l, i) => {
		rows.push(h('tr', null,
			span1[i] ? td(l.level1 || '', { rowspan: span1[i] }) : null,
			span2[i] ? td(l.level2 || '', { rowspan: span2[i] }) : null,
			td(l.name || '', { class: 'left' }),
			td(l.target || ''),
			td(l.actual || ''),
			td(l.weight ?? ''),
			td(scoreText(l.score, l.score_stated)),
			td(l.reason || '', { class: 'left' })));
	});
	const t = e.total || {};
	rows.push(h('tr', { class: 'total' }, th('总分', { colspan: 6 }), td(t.weight ?? ''),
		td(t.computed ?? t.stated ?? ''), td(t.complete === false ? '部分指标无法计分' : '', { class: 'left' })));
	const g = e.grade || {};
	rows.push(h('tr', { class: 'total' }, th('评价等级', { colspan: 6 }),
		td(g.computed || g.stated || (t.complete === false ? '暂不评级（部分指标无法计分）' : ''), { colspan: 3 })));

	return h('table', { class: 'form eval-form' }, colgroup, h('tbody', null, rows));
}

async function renderEval(root, id) {
	const e = await get('/api/evals/' + id);
	const c = e.counts || {};
	root.appendChild(toolbar('#/evals/' + e.id, '返回自评表',
		h('a', { class: 'btn', href: '#/projects/' + e.project_id }, '项目')));
	if (c.errors || c.warnings) {
		root.appendChild(h('div', { class: 'notice ' + (c.errors ? 'error' : 'warn') + ' no-print' },
			'系统审核发现 ' + (c.errors || 0) + ' 个错误、' + (c.warnings || 0) + ' 个提醒，打印前请在自评表中核对。'));
	}
	root.appendChild(h('article', { class: 'sheet' },
		h('h1', { class: 'sheet-title' }, '项目支出绩效自评表'),
		h('p', { class: 'sheet-year' }, '（' + (e.year ?? '') + ' 年度）'),
		h('div', { class: 'sheet-meta' },
			h('span', null, '项目编码：' + (e.code || '')),
			h('span', null, '状态：' + (e.status ? e.status.label : '') + '　金额单位：万元')),
		evalSheet(e),
		h('div', { class: 'sheet-foot' },
			h('span', null, '填报单位（盖章）：'), h('span', null, '单位负责人：'),
			h('span', null, '填报人：'), h('span', null, '联系电话：'), h('span', null, '填报日期：')),
		h('p', { class: 'sheet-note' }, '注：得分为系统按评分规则（' + (e.rules || '') + '）计算；预算执行率得分 = 分值 × 执行率。打印时间：' +
			dt(new Date().toISOString()) + '（UTC）')));
}

async function renderProject(root, id) {
	const [p, pays, adjs] = await Promise.all([
		get('/api/projects/' + id),
		get('/api/projects/' + id + '/payments', { per_page: 200 }),
		get('/api/projects/' + id + '/adjustments', { per_page: 200 }),
	]);
	const f = p.funds || {};
	root.appendChild(toolbar('#/projects/' + p.id, '返回项目',
		p.eval ? h('a', { class: 'btn', href: '#/evals/' + p.eval.id + '/print' }, '打印自评表') : null));
	const info = h('table', { class: 'form' }, h('tbody', null,
		h('tr', null, th('项目名称'), td(p.name, { colspan: 3, class: 'left' })),
		h('tr', null, th('项目编码'), td(p.code, { class: 'left' }), th('年度'), td(String(p.year))),
		h('tr', null, th('主管部门'), td(p.dept ? p.dept.name : '财政直管', { class: 'left' }),
			th('实施单位'), td(p.unit ? p.unit.name : '', { class: 'left' })),
		h('tr', null, th('项目类型'), td(p.type || '', { class: 'left' }), th('实施期间'),
			td(p.start_date || p.end_date ? (p.start_date || '') + ' 至 ' + (p.end_date || '') : ''))));
	const money = h('table', { class: 'form' }, h('tbody', null,
		h('tr', null, th('年初预算数'), th('预算调整'), th('全年预算数'), th('全年执行数'), th('预算执行率'), th('序时进度')),
		h('tr', null, td(fen(f.initial_fen), { class: 'num' }), td(fen(f.adjustments_fen), { class: 'num' }),
			td(fen(f.annual_fen), { class: 'num' }), td(fen(f.executed_fen), { class: 'num' }),
			td(pct(f.exec_rate)), td(pct(f.time_progress)))));
	const payTable = h('table', { class: 'form' }, h('tbody', null,
		h('tr', null, th('支付日期'), th('金额（元）'), th('收款人'), th('用途')),
		pays.items.length ? pays.items.map((r) => h('tr', null, td(r.date), td(yuan(r.amount_fen), { class: 'num' }),
			td(r.payee, { class: 'left' }), td(r.purpose || '', { class: 'left' })))
			: h('tr', null, td('无', { colspan: 4 }))));
	const adjTable = h('table', { class: 'form' }, h('tbody', null,
		h('tr', null, th('调整日期'), th('金额（万元）'), th('调整原因')),
		adjs.items.length ? adjs.items.map((r) => h('tr', null, td(r.date), td(fen(r.amount_fen), { class: 'num' }),
			td(r.reason, { class: 'left' }))) : h('tr', null, td('无', { colspan: 3 }))));
	const g = p.goals;
	const e = p.eval;
	const perf = h('table', { class: 'form' }, h('tbody', null,
		h('tr', null, th('绩效目标'), td(g ? '第 ' + g.number + ' 版，' + g.wf_status_label + '，三级指标 ' + g.indicators +
			' 项，分值合计 ' + (g.weight_total ?? '—') : '未申报', { class: 'left' })),
		h('tr', null, th('绩效自评'), td(e ? e.status_label + '，总分 ' + (e.total ?? '—') + '，等级 ' + (e.grade || '—') +
			'；审核发现错误 ' + e.errors + ' 个、提醒 ' + e.warnings + ' 个' : '未开始', { class: 'left' }))));
	root.appendChild(h('article', { class: 'sheet' },
		h('h1', { class: 'sheet-title' }, '项目情况表'),
		h('p', { class: 'sheet-year' }, '（' + p.year + ' 年度）'),
		info,
		h('h2', null, '资金情况（万元）'), money,
		f.lagging ? h('p', { class: 'sheet-note' }, '注：执行进度滞后于序时进度 ' + String(f.gap).replace(/^-/, '') + ' 个百分点。') : null,
		h('h2', null, '资金支付（' + pays.total + ' 笔）'), payTable,
		h('h2', null, '预算调整（' + adjs.total + ' 笔）'), adjTable,
		h('h2', null, '绩效目标与自评'), perf,
		h('p', { class: 'sheet-note' }, '打印时间：' + dt(new Date().toISOString()) + '（UTC）；序时进度按 ' + (f.as_of || '') + ' 计算。')));
}

export async function render(root, params) {
	root.classList.add('print-page');
	if (params.kind === 'eval') await renderEval(root, params.id);
	else await renderProject(root, params.id);
}
