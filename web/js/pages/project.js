/*
 * project.js - #/projects/:id: one project. Its money (年初预算数, 预算调整,
 * 全年预算数, 资金支付, 全年执行数, 执行率 against 序时进度 with a warning when
 * execution lags), the forms that change it (记录支付: unit filers and the
 * finance bureau; 预算调整 and 年初预算: the finance bureau), the goals and the
 * self-evaluation in brief with links to their pages (开始自评 for a unit
 * filer once the goals are approved), and the project's history.
 *
 * Amounts are typed in 万元 or 元 and converted to integer 分 exactly
 * (ui.parseMoney); the API's field errors appear next to the field.
 */
import { get, post, put, patch, ApiError } from '../api.js';
import { h, clear, fen, yuan, pct, dt, statusBadge, gradeBadge, table, toast, busy,
	fieldError, clearFieldErrors, parseMoney, spinner, modal } from '../ui.js';

const TABLE_LABEL = {
	jx_project: '项目', project: '项目', jx_self_eval: '自评表', self_eval: '自评表',
	jx_goal_version: '绩效目标', goal_version: '绩效目标', jx_funds: '资金', jx_payment: '资金支付',
	jx_adjustment: '预算调整',
};
const ACTION_LABEL = {
	create: '创建', update: '修改', budget: '设置年初预算', adjustment: '预算调整', payment: '资金支付',
	import: '导入', reimport: '重新导入', approve: '批复', adjust: '调整', delete: '删除',
};
/* the words that fit a record better than the generic ones */
const ACTION_BY_TABLE = {
	jx_self_eval: { create: '开始自评', update: '保存' },
	jx_goal_version: { create: '新建版本', update: '保存' },
};

function today() {
	const d = new Date();
	const p = (n) => String(n).padStart(2, '0');
	return d.getFullYear() + '-' + p(d.getMonth() + 1) + '-' + p(d.getDate());
}

/* an amount input with its unit select and a live 元 preview */
function moneyInput(id, field, unit, opts = {}) {
	const input = h('input', { id, type: 'text', inputmode: 'decimal', autocomplete: 'off', 'data-field': field,
		class: 'money', 'aria-describedby': id + '-echo' });
	const unitSel = h('select', { id: id + '-unit', 'aria-label': '金额单位' },
		h('option', { value: '万元', selected: unit === '万元' }, '万元'),
		h('option', { value: '元', selected: unit === '元' }, '元'));
	const echo = h('div', { class: 'hint', id: id + '-echo' }, '\u00a0');
	function update() {
		const r = parseMoney(input.value, unitSel.value, opts);
		echo.textContent = input.value.trim() === '' || r.error ? '\u00a0' : '= ' + yuan(r.fen) + ' 元';
	}
	input.addEventListener('input', update);
	unitSel.addEventListener('change', update);
	return {
		input, unitSel, echo,
		node: h('div', { class: 'input-unit' }, input, unitSel),
		value: () => parseMoney(input.value, unitSel.value, opts),
		reset: () => { input.value = ''; update(); },
	};
}

function figure(label, value, sub, cls) {
	return h('div', { class: cls || null }, h('div', { class: 'label' }, label),
		h('div', { class: 'value' }, value, h('small', null, '万元')), sub ? h('div', { class: 'sub' }, sub) : null);
}

function bar(label, value, cls) {
	const n = value === null || value === undefined ? 0 : Math.max(0, Math.min(100, parseFloat(value)));
	const fill = h('span');
	fill.style.width = n + '%';
	return h('div', { class: 'progress-row' }, h('span', null, label),
		h('div', { class: 'bar ' + (cls || ''), role: 'img', 'aria-label': label + ' ' + pct(value) }, fill),
		h('span', { class: 'v' }, pct(value)));
}

export async function render(root, params, ctx) {
	const id = params.id;
	const user = ctx.user;
	const role = user.role;
	const canPay = role === 'unit_filer' || role === 'finance_reviewer';
	const canAdjust = role === 'finance_reviewer';
	const canBudget = role === 'finance_reviewer' || role === 'admin';

	let project = await get('/api/projects/' + id);
	if (!ctx.alive()) return;

	/* ---- head ---- */
	const head = h('div');
	root.appendChild(head);
	function drawHead() {
		clear(head);
		const p = project;
		head.appendChild(h('div', { class: 'crumbs' }, h('a', { href: '#/projects' }, '项目'), ' › ', p.code));
		head.appendChild(h('div', { class: 'page-head' },
			h('div', null,
				h('h1', null, p.name),
				h('div', { class: 'sub' }, [p.code, p.year + ' 年度', p.type].filter(Boolean).join(' · '))),
			h('div', { class: 'page-actions' },
				role === 'unit_filer' || role === 'admin'
					? h('button', { type: 'button', class: 'btn', onclick: () => editProject() }, '修改项目信息') : null,
				h('a', { class: 'btn', href: '#/projects/' + p.id + '/goals' }, '绩效目标'),
				p.eval ? h('a', { class: 'btn', href: '#/evals/' + p.eval.id }, '自评表') : null,
				h('a', { class: 'btn', href: '#/projects/' + p.id + '/print' }, '打印'))));
		head.appendChild(h('table', { class: 'kv panel-table' },
			h('tbody', null,
				h('tr', null, h('th', { scope: 'row' }, '项目名称'), h('td', null, p.name),
					h('th', { scope: 'row' }, '项目编码'), h('td', null, p.code)),
				h('tr', null, h('th', { scope: 'row' }, '实施单位'), h('td', null, p.unit ? p.unit.name : '—'),
					h('th', { scope: 'row' }, '主管部门'), h('td', null, p.dept ? p.dept.name : '财政直管（无主管部门）')),
				h('tr', null, h('th', { scope: 'row' }, '项目类型'), h('td', null, p.type || '—'),
					h('th', { scope: 'row' }, '实施期间'),
					h('td', null, p.start_date || p.end_date ? (p.start_date || '—') + ' 至 ' + (p.end_date || '—') : '—')))));
	}
	drawHead();

	/* 修改项目信息: name, type, dates (PATCH with the version read) */
	async function editProject() {
		const p = project;
		const f = {
			name: h('input', { id: 'ep-name', type: 'text', 'data-field': 'name', maxlength: 200, value: p.name }),
			type: h('input', { id: 'ep-type', type: 'text', 'data-field': 'type', maxlength: 100, value: p.type || '' }),
			start: h('input', { id: 'ep-start', type: 'date', 'data-field': 'start_date', value: p.start_date || '' }),
			end: h('input', { id: 'ep-end', type: 'date', 'data-field': 'end_date', value: p.end_date || '' }),
		};
		const body = h('div', { class: 'form-grid' },
			h('div', { class: 'field full' }, h('label', { for: 'ep-name' }, '项目名称'), f.name),
			h('div', { class: 'field full' }, h('label', { for: 'ep-type' }, '项目类型'), f.type),
			h('div', { class: 'field' }, h('label', { for: 'ep-start' }, '开始日期'), f.start),
			h('div', { class: 'field' }, h('label', { for: 'ep-end' }, '结束日期'), f.end),
			h('p', { class: 'hint full' }, '项目编码、实施单位和年度不能修改。'));
		const ok = await modal({
			title: '修改项目信息', body, okLabel: '保存', wide: true,
			onOk: async () => {
				clearFieldErrors(body);
				const name = f.name.value.trim();
				if (!name) {
					fieldError(body, 'name', '请填写项目名称');
					f.name.focus();
					return false;
				}
				if (f.start.value && f.end.value && f.end.value < f.start.value) {
					fieldError(body, 'end_date', '结束日期不能早于开始日期');
					f.end.focus();
					return false;
				}
				try {
					project = await patch('/api/projects/' + id, {
						version: funds.version, name, type: f.type.value.trim() || null,
						start_date: f.start.value || null, end_date: f.end.value || null,
					});
					return true;
				} catch (err) {
					if (err instanceof ApiError && err.status !== 401) {
						fieldError(body, err.field === 'version' ? '' : err.field || '', err.message);
						return false;
					}
					throw err;
				}
			},
		});
		if (ok) {
			toast('项目信息已保存', 'ok');
			funds = project.funds || funds;
			drawHead();
			loadHistory(true);
		}
	}

	/* ---- money ---- */
	const moneyPanel = h('section', { class: 'panel', 'aria-labelledby': 'h-money' });
	const figures = h('div');
	const paysBox = h('div');
	const adjBox = h('div');
	root.appendChild(moneyPanel);
	let funds = project.funds;

	function drawFigures() {
		clear(figures);
		const f = funds;
		figures.appendChild(h('div', { class: 'money-figures' },
			figure('年初预算数', fen(f.initial_fen)),
			figure('预算调整', f.adjustments_fen ? (BigInt(f.adjustments_fen) > 0n ? '+' : '') + fen(f.adjustments_fen) : '0',
				f.adjustments.count ? f.adjustments.count + ' 笔' : '无调整'),
			figure('全年预算数', fen(f.annual_fen)),
			figure('全年执行数', fen(f.executed_fen), f.executed_source === 'payments'
				? '支付 ' + f.payments.count + ' 笔合计' : f.executed_fen !== null ? '自评表填报数' : '尚无支付',
			f.over_budget ? 'over' : null),
			h('div', null, h('div', { class: 'label' }, '预算执行率'),
				h('div', { class: 'value' }, pct(f.exec_rate)),
				h('div', { class: 'sub' }, '序时进度 ' + pct(f.time_progress)))));
		const lag = f.lagging;
		figures.appendChild(h('div', { class: 'progress' },
			bar('预算执行率', f.exec_rate, f.over_budget ? 'over' : lag ? 'lag' : ''),
			bar('序时进度', f.time_progress, 'time')));
		const notes = [];
		if (f.exec_rate === null) notes.push(h('div', { class: 'notice info' }, '尚未设置年初预算数，无法计算预算执行率。'));
		if (lag) {
			notes.push(h('div', { class: 'notice warn', role: 'alert' },
				'执行进度滞后：预算执行率 ' + pct(f.exec_rate) + '，低于序时进度 ' + pct(f.time_progress) +
				'（相差 ' + String(f.gap).replace(/^-/, '') + ' 个百分点，超过预警阈值 ' + f.lag_threshold + ' 个百分点）。请加快执行或说明原因。'));
		} else if (f.gap !== null && f.gap !== undefined) {
			notes.push(h('p', { class: 'hint' }, '执行率与序时进度之差 ' + f.gap + ' 个百分点（预警阈值 ' + f.lag_threshold +
				' 个百分点），按 ' + f.as_of + ' 计算。'));
		}
		if (f.over_budget) notes.push(h('div', { class: 'notice error' }, '超预算：全年执行数 ' + yuan(f.executed_fen) +
			' 元已超过全年预算数 ' + yuan(f.annual_fen) + ' 元，请核对。'));
		if (f.executed_source === 'recorded' && !f.payments.count)
			notes.push(h('p', { class: 'hint' }, '全年执行数目前为自评表填报数；录入第一笔支付后，改按支付记录合计计算。'));
		if (f.received_fen !== null && f.received_fen !== undefined)
			notes.push(h('p', { class: 'hint' }, '实际到位资金 ' + fen(f.received_fen) + ' 万元。'));
		figures.appendChild(h('div', null, notes));
	}

	async function loadPayments() {
		const data = await get('/api/projects/' + id + '/payments', { per_page: 200 });
		clear(paysBox);
		paysBox.appendChild(table([
			{ key: 'date', label: '支付日期', class: 'nowrap' },
			{ key: 'amount', label: '金额（元）', class: 'num', render: (r) => yuan(r.amount_fen) },
			{ key: 'payee', label: '收款人' },
			{ key: 'purpose', label: '用途' },
			{ key: 'created_by', label: '录入人' },
			{ key: 'created_at', label: '录入时间', class: 'nowrap', render: (r) => dt(r.created_at) },
		], data.items, { empty: '尚无支付记录。', caption: '支付记录（' + data.total + ' 笔）' }));
	}

	async function loadAdjustments() {
		const data = await get('/api/projects/' + id + '/adjustments', { per_page: 200 });
		clear(adjBox);
		adjBox.appendChild(table([
			{ key: 'date', label: '调整日期', class: 'nowrap' },
			{ key: 'kind', label: '方向', render: (r) => (BigInt(r.amount_fen) > 0n ? '追加' : '调减') },
			{ key: 'amount', label: '金额（万元）', class: 'num', render: (r) => fen(r.amount_fen) },
			{ key: 'reason', label: '调整原因' },
			{ key: 'created_by', label: '录入人' },
			{ key: 'created_at', label: '录入时间', class: 'nowrap', render: (r) => dt(r.created_at) },
		], data.items, { empty: '尚无预算调整。', caption: '预算调整记录（' + data.total + ' 笔）' }));
	}

	async function refreshMoney(newFunds) {
		if (newFunds) funds = newFunds;
		else funds = await get('/api/projects/' + id + '/funds');
		drawFigures();
		await Promise.all([loadPayments(), loadAdjustments(), loadHistory(true)]);
	}

	/* payment form */
	function paymentForm() {
		const amount = moneyInput('pay-amount', 'amount_fen', '元');
		const date = h('input', { id: 'pay-date', type: 'date', 'data-field': 'date', value: today() });
		const payee = h('input', { id: 'pay-payee', type: 'text', 'data-field': 'payee', maxlength: 500 });
		const purpose = h('input', { id: 'pay-purpose', type: 'text', 'data-field': 'purpose', maxlength: 500,
			placeholder: '可不填' });
		const btn = h('button', { type: 'submit', class: 'btn primary' }, '记录支付');
		const warn = h('div', { 'aria-live': 'polite' });
		const form = h('form', { class: 'money-form', novalidate: true, 'aria-labelledby': 'h-pay' },
			h('h3', { id: 'h-pay' }, '记录支付'),
			h('div', { class: 'form-row' },
				h('div', { class: 'field' }, h('label', { for: 'pay-date' }, '支付日期'), date),
				h('div', { class: 'field' }, h('label', { for: 'pay-amount' }, '金额'), amount.node, amount.echo),
				h('div', { class: 'field grow' }, h('label', { for: 'pay-payee' }, '收款人'), payee),
				h('div', { class: 'field grow' }, h('label', { for: 'pay-purpose' }, '用途'), purpose)),
			h('div', { class: 'form-actions' }, btn), warn);
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			clearFieldErrors(form);
			clear(warn);
			const a = amount.value();
			const errs = [];
			if (!date.value) errs.push(['date', '请填写支付日期']);
			if (a.error) errs.push(['amount_fen', a.error]);
			if (!payee.value.trim()) errs.push(['payee', '请填写收款人']);
			if (errs.length) {
				for (const [k, m] of errs) fieldError(form, k, m);
				form.querySelector('[aria-invalid="true"]').focus();
				return;
			}
			busy(btn, async () => {
				try {
					const r = await post('/api/projects/' + id + '/payments', {
						date: date.value, amount_fen: Number(a.fen), payee: payee.value.trim(),
						purpose: purpose.value.trim() || null,
					});
					toast('已记录支付 ' + yuan(r.payment.amount_fen) + ' 元', 'ok');
					amount.reset();
					payee.value = '';
					purpose.value = '';
					for (const w of r.warnings || []) warn.appendChild(h('div', { class: 'notice warn', role: 'alert' }, w.message));
					await refreshMoney(r.funds);
				} catch (err) {
					if (err instanceof ApiError && err.field && err.status !== 401) {
						fieldError(form, err.field, err.message);
						const bad = form.querySelector('[aria-invalid="true"]');
						if (bad) bad.focus();
					} else throw err;
				}
			});
		});
		return form;
	}

	function adjustmentForm() {
		const amount = moneyInput('adj-amount', 'amount_fen', '万元');
		const dir = h('select', { id: 'adj-dir' }, h('option', { value: '+' }, '追加'), h('option', { value: '-' }, '调减'));
		const date = h('input', { id: 'adj-date', type: 'date', 'data-field': 'date', value: today() });
		const reason = h('input', { id: 'adj-reason', type: 'text', 'data-field': 'reason', maxlength: 500 });
		const btn = h('button', { type: 'submit', class: 'btn primary' }, '录入调整');
		const warn = h('div', { 'aria-live': 'polite' });
		const form = h('form', { class: 'money-form', novalidate: true, 'aria-labelledby': 'h-adj' },
			h('h3', { id: 'h-adj' }, '录入预算调整'),
			h('div', { class: 'form-row' },
				h('div', { class: 'field' }, h('label', { for: 'adj-date' }, '调整日期'), date),
				h('div', { class: 'field' }, h('label', { for: 'adj-dir' }, '调整方向'), dir),
				h('div', { class: 'field' }, h('label', { for: 'adj-amount' }, '调整金额'), amount.node, amount.echo),
				h('div', { class: 'field grow' }, h('label', { for: 'adj-reason' }, '调整原因'), reason)),
			h('div', { class: 'form-actions' }, btn), warn);
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			clearFieldErrors(form);
			clear(warn);
			const a = amount.value();
			const errs = [];
			if (!date.value) errs.push(['date', '请填写调整日期']);
			if (a.error) errs.push(['amount_fen', a.error]);
			if (!reason.value.trim()) errs.push(['reason', '请填写调整原因']);
			if (errs.length) {
				for (const [k, m] of errs) fieldError(form, k, m);
				form.querySelector('[aria-invalid="true"]').focus();
				return;
			}
			busy(btn, async () => {
				try {
					const n = Number(a.fen) * (dir.value === '-' ? -1 : 1);
					const r = await post('/api/projects/' + id + '/adjustments', {
						date: date.value, amount_fen: n, reason: reason.value.trim(),
					});
					toast('已录入预算' + (n > 0 ? '追加 ' : '调减 ') + fen(Math.abs(n)) + ' 万元', 'ok');
					amount.reset();
					reason.value = '';
					for (const w of r.warnings || []) warn.appendChild(h('div', { class: 'notice warn', role: 'alert' }, w.message));
					project = await get('/api/projects/' + id);
					await refreshMoney(r.funds);
				} catch (err) {
					if (err instanceof ApiError && err.field && err.status !== 401) {
						fieldError(form, err.field, err.message);
						const bad = form.querySelector('[aria-invalid="true"]');
						if (bad) bad.focus();
					} else throw err;
				}
			});
		});
		return form;
	}

	function budgetForm() {
		const amount = moneyInput('budget-amount', 'initial_fen', '万元', { allowZero: true });
		const btn = h('button', { type: 'submit', class: 'btn primary' }, '保存年初预算');
		const current = h('span', { class: 'hint' });
		const form = h('form', { class: 'money-form', novalidate: true, 'aria-labelledby': 'h-budget' },
			h('h3', { id: 'h-budget' }, '设置年初预算数'),
			h('div', { class: 'form-row' },
				h('div', { class: 'field' }, h('label', { for: 'budget-amount' }, '年初预算数'), amount.node, amount.echo),
				h('div', { class: 'field grow' }, h('span', { class: 'label' }, '当前'), current)),
			h('p', { class: 'hint' }, '年初预算数为财政批复数；全年预算数 = 年初预算数 + 预算调整合计。'),
			h('div', { class: 'form-actions' }, btn));
		const showCurrent = () => { current.textContent = funds.initial_fen === null ? '未设置' : fen(funds.initial_fen) + ' 万元'; };
		showCurrent();
		form.addEventListener('submit', (e) => {
			e.preventDefault();
			clearFieldErrors(form);
			const a = amount.value();
			if (a.error) {
				fieldError(form, 'initial_fen', a.error);
				amount.input.focus();
				return;
			}
			busy(btn, async () => {
				try {
					const r = await put('/api/projects/' + id + '/budget', { initial_fen: Number(a.fen), version: funds.version });
					toast('年初预算数已设为 ' + fen(r.initial_fen) + ' 万元', 'ok');
					amount.reset();
					await refreshMoney(r);
					showCurrent();
				} catch (err) {
					if (err instanceof ApiError && err.status === 409) {
						fieldError(form, 'initial_fen', err.message);
						await refreshMoney();
						showCurrent();
					} else if (err instanceof ApiError && err.field && err.status !== 401) {
						fieldError(form, err.field, err.message);
						amount.input.focus();
					} else throw err;
				}
			});
		});
		return form;
	}

	/* tabs: 支付 | 预算调整 | 年初预算 */
	const tabs = [
		{ key: 'pay', label: '资金支付', nodes: [paysBox, canPay ? paymentForm() : null] },
		{ key: 'adj', label: '预算调整', nodes: [adjBox, canAdjust ? adjustmentForm() : null] },
	];
	if (canBudget) tabs.push({ key: 'budget', label: '年初预算', nodes: [budgetForm()] });
	const tabList = h('div', { class: 'tabs', role: 'tablist', 'aria-label': '资金' });
	const tabPanels = [];
	tabs.forEach((t, i) => {
		const panel = h('div', { class: 'tab-panel', role: 'tabpanel', id: 'tp-' + t.key, 'aria-labelledby': 'tab-' + t.key,
			hidden: i !== 0 }, t.nodes);
		const b = h('button', { type: 'button', role: 'tab', id: 'tab-' + t.key, 'aria-controls': 'tp-' + t.key,
			'aria-selected': i === 0 ? 'true' : 'false', tabindex: i === 0 ? '0' : '-1' }, t.label);
		b.addEventListener('click', () => select(i));
		b.addEventListener('keydown', (e) => {
			if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
				e.preventDefault();
				const n = (i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length;
				select(n);
				tabList.children[n].focus();
			}
		});
		tabList.appendChild(b);
		tabPanels.push(panel);
	});
	function select(n) {
		[...tabList.children].forEach((b, j) => {
			b.setAttribute('aria-selected', j === n ? 'true' : 'false');
			b.tabIndex = j === n ? 0 : -1;
		});
		tabPanels.forEach((p, j) => { p.hidden = j !== n; });
	}

	moneyPanel.appendChild(h('div', { class: 'panel-head' }, h('h2', { id: 'h-money' }, '资金情况'),
		h('span', { class: 'hint' }, '单位：万元；执行率按 ' + (funds.as_of || '今日') + ' 的序时进度比较')));
	moneyPanel.appendChild(figures);
	moneyPanel.appendChild(tabList);
	for (const p of tabPanels) moneyPanel.appendChild(p);
	drawFigures();

	/* ---- goals and self-evaluation ---- */
	const perf = h('div', { class: 'cols' });
	root.appendChild(perf);
	function drawPerf() {
		clear(perf);
		const p = project;
		const g = p.goals;
		perf.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'h-goals' },
			h('div', { class: 'panel-head' }, h('h2', { id: 'h-goals' }, '绩效目标'),
				h('a', { class: 'btn small', href: '#/projects/' + p.id + '/goals' },
					!g && role === 'unit_filer' ? '填报绩效目标' : '打开绩效目标')),
			g ? h('div', null,
				h('div', { class: 'summary-line' },
					h('span', null, h('span', { class: 'k' }, '状态'), statusBadge({ key: g.wf_status, label: g.wf_status_label })),
					h('span', null, h('span', { class: 'k' }, '版本'), '第 ' + g.number + ' 版（' +
						({ declared: '申报', approved: '批复', adjusted: '调整' }[g.stage] || g.stage) + '）')),
				h('div', { class: 'summary-line' },
					h('span', null, h('span', { class: 'k' }, '三级指标'), g.indicators + ' 项'),
					h('span', null, h('span', { class: 'k' }, '分值合计'), g.weight_total ?? '—'))) :
				h('p', { class: 'empty-note' }, role === 'unit_filer'
					? '尚未申报绩效目标。请先填报年度目标和绩效指标，提交审核。' : '单位尚未申报绩效目标。')));

		const e = p.eval;
		let evalBody;
		if (e) {
			evalBody = h('div', null,
				h('div', { class: 'summary-line' },
					h('span', null, h('span', { class: 'k' }, '状态'), statusBadge({ key: e.status, label: e.status_label })),
					h('span', null, h('span', { class: 'k' }, '总分'), e.total ?? '—'),
					h('span', null, h('span', { class: 'k' }, '等级'), gradeBadge(e.grade))),
				h('div', { class: 'summary-line' },
					h('span', null, h('span', { class: 'k' }, '审核问题'),
						e.errors ? h('span', { class: 'badge err' }, '错误 ' + e.errors) : null, ' ',
						e.warnings ? h('span', { class: 'badge warn' }, '提醒 ' + e.warnings) : null,
						!e.errors && !e.warnings ? h('span', { class: 'badge ok' }, '无') : null),
					h('span', null, h('span', { class: 'k' }, '更新'), dt(e.updated_at))),
				h('p', null, h('a', { href: '#/evals/' + e.id + '/print' }, '打印自评表')));
		} else if (role === 'unit_filer' && p.goal_status === 'finance_approved') {
			const startBtn = h('button', { type: 'button', class: 'btn primary' }, '开始自评');
			startBtn.addEventListener('click', () => busy(startBtn, async () => {
				const r = await post('/api/projects/' + p.id + '/self-eval', {});
				toast('已开始自评', 'ok');
				ctx.refreshInbox();
				ctx.nav('#/evals/' + r.id);
			}));
			evalBody = h('div', null,
				h('p', null, '绩效目标已经财政审核，可以开始填报项目支出绩效自评表。'),
				startBtn);
		} else {
			evalBody = h('p', { class: 'empty-note' }, p.goal_status === 'finance_approved'
				? '单位尚未开始自评。' : '绩效目标经财政审核后，单位方可开始自评。');
		}
		perf.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'h-eval' },
			h('div', { class: 'panel-head' }, h('h2', { id: 'h-eval' }, '绩效自评'),
				e ? h('a', { class: 'btn small', href: '#/evals/' + e.id }, '打开自评表') : null),
			evalBody));
	}
	drawPerf();

	/* ---- history ---- */
	const histPanel = h('section', { class: 'panel', 'aria-labelledby': 'h-hist' });
	const histList = h('ul', { class: 'history' });
	const moreBtn = h('button', { type: 'button', class: 'btn small', hidden: true }, '加载更多');
	histPanel.appendChild(h('div', { class: 'panel-head' }, h('h2', { id: 'h-hist' }, '历史记录')));
	histPanel.appendChild(histList);
	histPanel.appendChild(h('div', { class: 'form-actions' }, moreBtn));
	root.appendChild(histPanel);
	let histPage = 0;
	let actionLabels = {};

	function describe(it) {
		const what = TABLE_LABEL[it.table] || it.table || '';
		if (it.kind === 'review') {
			const by = /^dept_/.test(it.action) ? '主管部门' : /^finance_/.test(it.action) ? '财政' : '';
			const label = by + (actionLabels[it.action] || it.action);
			return h('span', { class: 'what' }, what + '：' + label + '（' + (it.from_status_label || '') + ' → ' +
				(it.to_status_label || '') + '）', it.comment ? h('span', { class: 'comment' }, '意见：' + it.comment) : null);
		}
		let detail = null;
		const a = it.after && typeof it.after === 'object' ? it.after : null;
		if (it.action === 'payment' && a && a.payment)
			detail = '支付 ' + yuan(a.payment.amount_fen) + ' 元，收款人：' + a.payment.payee + '（' + a.payment.date + '）';
		else if (it.action === 'adjustment' && a && a.adjustment)
			detail = (a.adjustment.amount_fen > 0 ? '追加 ' : '调减 ') + fen(Math.abs(a.adjustment.amount_fen)) + ' 万元：' + a.adjustment.reason;
		else if (it.action === 'budget' && a)
			detail = '年初预算数 ' + fen(it.before && it.before.initial_fen) + ' → ' + fen(a.initial_fen) + ' 万元';
		else if (it.action === 'update' && a && it.before && typeof it.before === 'object') {
			const names = { name: '项目名称', type: '项目类型', start_date: '开始日期', end_date: '结束日期' };
			const ch = Object.keys(names).filter((k) => JSON.stringify(it.before[k]) !== JSON.stringify(a[k]));
			if (ch.length) detail = '修改了' + ch.map((k) => names[k]).join('、');
		}
		const label = (ACTION_BY_TABLE[it.table] || {})[it.action] || ACTION_LABEL[it.action] || it.action;
		return h('span', { class: 'what' }, what + label,
			detail ? h('span', { class: 'detail' }, detail) : null);
	}

	async function loadHistory(reset) {
		if (reset) {
			histPage = 0;
			clear(histList);
		}
		const data = await get('/api/projects/' + id + '/history', { page: histPage + 1, per_page: 20 });
		histPage++;
		for (const it of data.items) {
			/* a transition is logged twice: as a review step (with its comment) and in the audit log */
			if (it.kind === 'audit' && actionLabels[it.action]) continue;
			histList.appendChild(h('li', null,
				h('span', { class: 'when' }, dt(it.at)),
				h('span', { class: 'actor' }, it.actor || '—'),
				describe(it)));
		}
		if (data.total === 0) histList.appendChild(h('li', { class: 'empty-note' }, '暂无记录。'));
		moreBtn.hidden = histPage * 20 >= data.total;
	}
	moreBtn.addEventListener('click', () => busy(moreBtn, () => loadHistory(false)));

	const wait = spinner('正在加载资金明细和历史记录…');
	histPanel.appendChild(wait);
	const [wf] = await Promise.all([
		get('/api/workflow').catch(() => null),
		loadPayments(),
		loadAdjustments(),
	]);
	if (wf && wf.transitions) for (const t of wf.transitions) actionLabels[t.action] = t.label;
	await loadHistory(true);
	wait.remove();
}
