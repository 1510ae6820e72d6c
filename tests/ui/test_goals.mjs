/*
 * test_goals.mjs - the indicator editor (绩效目标申报, #/projects/:id/goals)
 * in a real browser: a unit filer (unit0101) opens a new project's editor,
 * types the annual goal and two indicator rows with the keyboard only (Tab,
 * Enter), sees each target's meaning and the weight sums appear live, pastes
 * a block of Excel rows (header row, blank merged cells, a quoted cell with
 * an embedded newline) and a WPS HTML table, moves/inserts/removes rows and
 * undoes, saves, sees the sums checked against the rule set, provokes a
 * field error (a negative weight) shown on its cell, meets a conflict (409)
 * and reloads, submits; the department returns it with a comment, the unit
 * sees the comment and resubmits, the department and the finance bureau
 * approve (财政已审核); the unit then adjusts (new version with a reason)
 * and views the older version read-only. Screenshots at 1366×768.
 *
 *   JIXIAO=build/debug/jixiao node tests/ui/test_goals.mjs
 */
import { startServer, launch, login, shot, check, done, waitPage, apiAs } from './harness.mjs';

const T0 = Date.now();
const cell = (r, c) => `#app .ge-in[data-row="${r}"][data-col="${c}"]`;

/* Every row of the editable table: the values of its 7 cells. */
function tableValues(page) {
	return page.$$eval('#app .ge-table tbody tr', (trs) =>
		trs.map((tr) => Array.from(tr.querySelectorAll('.ge-in'), (el) => el.value)));
}

function meaning(page, r) {
	return page.evaluate((r) => {
		const tr = document.querySelectorAll('#app .ge-table tbody tr')[r];
		const m = tr && tr.querySelector('.ge-meaning');
		return m ? { text: m.textContent, cls: m.className } : null;
	}, r);
}

function sums(page) {
	return page.$$eval('#app .ge-sums .ge-sum', (els) => Object.fromEntries(els.map((el) =>
		[el.dataset.level1, { cls: el.className, text: el.textContent.replace(/\s+/g, ' ').trim() }])));
}

async function waitMeaning(page, r, re) {
	try {
		await page.waitForFunction(([r, src]) => {
			const tr = document.querySelectorAll('#app .ge-table tbody tr')[r];
			const m = tr && tr.querySelector('.ge-meaning');
			return m && new RegExp(src).test(m.textContent) && !m.classList.contains('pending');
		}, [r, re.source], { timeout: 5000 });
		return true;
	} catch {
		return false;
	}
}

/* A full-page screenshot at 1366 wide without stale toasts. The viewport is
 * made as tall as the page for the shot, so that the sticky action bar and
 * the sticky sums bar sit in their places instead of over the table. */
async function snap(page, name) {
	const height = await page.evaluate(() => {
		for (const t of document.querySelectorAll('.toast-item')) t.remove();
		return document.documentElement.scrollHeight;
	});
	await page.setViewportSize({ width: 1366, height: Math.max(768, height) });
	await shot(page, name);
	await page.setViewportSize({ width: 1366, height: 768 });
}

async function typeRow(page, values, end = 'Enter') {
	for (let i = 0; i < values.length; i++) {
		if (values[i] !== null) await page.keyboard.type(values[i]);
		await page.keyboard.press(i === values.length - 1 ? end : 'Tab');
	}
}

function focused(page) {
	return page.evaluate(() => {
		const el = document.activeElement;
		return el && el.classList.contains('ge-in') ? [+el.dataset.row, +el.dataset.col] : null;
	});
}

async function paste(page, data) {
	await page.evaluate((data) => {
		const dt = new DataTransfer();
		for (const [type, text] of Object.entries(data)) dt.setData(type, text);
		document.activeElement.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
	}, data);
}

function badge(page) {
	return page.locator('#app .ge-state .badge').textContent();
}

async function openGoals(page, server, pid) {
	if (page.url().endsWith(`#/projects/${pid}/goals`)) await page.reload();
	else await page.goto(`${server.url}/#/projects/${pid}/goals`);
	await waitPage(page, 'goals');
	await page.waitForSelector('#app .ge-table');
}

async function openGoalsRaw(page, server, pid) {
	await page.goto(`${server.url}/#/projects/${pid}/goals`);
	await waitPage(page, 'goals');
}

/* Click a workflow button and answer its dialog (a comment when asked). */
async function act(page, label, { comment = null, ok = label } = {}) {
	await page.locator('#app .ge-bar').getByRole('button', { name: label, exact: true }).click();
	const dlg = page.getByRole('dialog');
	await dlg.waitFor();
	if (comment !== null) await dlg.locator('textarea').fill(comment);
	await dlg.getByRole('button', { name: ok, exact: true }).click();
	await dlg.waitFor({ state: 'detached' });
}

const server = await startServer({ projects: 6 });
const { browser, newPage } = await launch();
try {
	const unitApi = await apiAs(server, 'unit0101');
	const created = await unitApi.post('/api/projects', {
		code: 'UI-GOALS-001', name: '智慧校园建设项目', type: '专项', year: 2026,
		start_date: '2026-01-01', end_date: '2026-12-31',
	});
	check(created.status === 201, `the unit creates a project through the API (${created.status})`);
	const pid = created.data.id;

	/* ---- the empty editor ---- */
	const unit = await newPage(server);
	await login(unit, server, 'unit0101');
	await openGoals(unit, server, pid);
	check((await unit.locator('#app h1').textContent()) === '绩效目标申报', 'the editor is titled 绩效目标申报');
	check((await badge(unit)) === '未填报', 'a project without goals is 未填报');
	check((await tableValues(unit)).length === 1, 'the empty editor starts with one blank row');
	const heads = await unit.$$eval('#app .ge-table thead th', (ths) => ths.map((t) => t.textContent));
	check(['一级指标', '二级指标', '三级指标（指标名称）', '年度指标值', '度量单位', '指标性质', '分值']
		.every((x) => heads.includes(x)), 'the columns of the form: ' + heads.join('/'));
	await snap(unit, 'goals-empty');

	/* the clipboard readers on their own (the module the page runs) */
	const parsed = await unit.evaluate(async () => {
		const m = await import('/js/pages/goals.js');
		return {
			quoted: m.parseTsv('a\t"b\tc"\t"d""e"\r\n"x\r\ny"\tz\r\n'),
			literal: m.parseTsv('"及时"\t"单边引号\tz\n'),
			lf: m.parseTsv('1\t2\n3\t4'),
			blanks: m.parseTsv('\t\tx\r\n'),
			html: m.parseHtmlTable('<table><tr><td colspan="2">A</td><td rowspan="2">B</td></tr>' +
				'<tr><td>c</td><td>d<br>e</td></tr></table>'),
		};
	});
	const eq = (a, b) => JSON.stringify(a) === JSON.stringify(b);
	check(eq(parsed.quoted, [['a', 'b\tc', 'd"e'], ['x\r\ny', 'z']]), 'Excel quoting (tab, doubled quote, newline in a cell): ' + JSON.stringify(parsed.quoted));
	check(eq(parsed.literal, [['及时', '"单边引号', 'z']]), 'quotes that are not Excel quoting stay text: ' + JSON.stringify(parsed.literal));
	check(eq(parsed.lf, [['1', '2'], ['3', '4']]), 'rows by \\n, no final newline');
	check(eq(parsed.blanks, [['', '', 'x']]), 'blank cells are kept in place');
	check(eq(parsed.html, [['A', '', 'B'], ['c', 'd\ne', '']]), 'HTML table spans: ' + JSON.stringify(parsed.html));

	/* ---- typing with the keyboard ---- */
	await unit.getByRole('textbox', { name: '年度总体目标第1条' }).fill('完成全校30间教室智慧化改造，提升教学信息化水平');
	await unit.locator(cell(0, 0)).click();
	await typeRow(unit, ['产出指标', '数量指标', '改造教室数量', '≥30', '间', '定量', '20']);
	let f = await focused(unit);
	check(f && f[0] === 1 && f[1] === 0, `Enter after Tabs goes to the next row's first column (${f})`);
	/* the new row took 产出指标 / 数量指标 from the row above: keep 一级, replace 二级 */
	await typeRow(unit, [null, '质量指标', '验收合格率', '≥95%', null, '定量', '15']);
	f = await focused(unit);
	check(f && f[0] === 2 && f[1] === 0, `Enter on the last row adds a row (${f})`);
	check(await waitMeaning(unit, 0, /^≥ 30间，越高越好$/), 'the meaning of ≥30 间 appears: ' + JSON.stringify(await meaning(unit, 0)));
	check(await waitMeaning(unit, 1, /^≥ 95%，越高越好$/), 'the meaning of ≥95% appears');
	let s = await sums(unit);
	check(s['产出指标'] && s['产出指标'].text.includes('35') && s['合计'].text.includes('35'),
		'the weight sums follow the typing: ' + JSON.stringify(s));
	const cont = await unit.$$eval('#app .ge-table tbody tr', (trs) => trs.map((tr) =>
		[tr.querySelector('.ge-c-level1').classList.contains('ge-cont'), tr.querySelector('.ge-c-level2').classList.contains('ge-cont')]));
	check(JSON.stringify(cont.slice(0, 3)) === '[[false,false],[true,false],[true,true]]',
		'repeated 一级/二级 are shown once like merged cells: ' + JSON.stringify(cont));
	/* arrows: at the end of the text → right; ArrowUp → the row above */
	await unit.keyboard.press('ArrowUp');
	f = await focused(unit);
	check(f && f[0] === 1 && f[1] === 0, `ArrowUp moves up (${f})`);
	await unit.keyboard.press('ArrowRight');
	f = await focused(unit);
	check(f && f[0] === 1 && f[1] === 1, `ArrowRight on a selected cell moves right (${f})`);
	await unit.keyboard.press('Shift+Tab');
	f = await focused(unit);
	check(f && f[0] === 1 && f[1] === 0, `Shift+Tab moves left (${f})`);
	await unit.keyboard.press('Shift+Enter');
	f = await focused(unit);
	check(f && f[0] === 0 && f[1] === 0, `Shift+Enter moves up (${f})`);
	await unit.keyboard.type('产出');
	await unit.keyboard.press('Escape');
	check((await tableValues(unit))[0][0] === '产出指标', 'Esc restores the cell as it was');
	await unit.keyboard.press('Enter');
	await unit.keyboard.press('Enter');

	/* ---- paste a block copied from Excel ---- */
	const block = [
		'一级指标\t二级指标\t三级指标\t年度指标值\t度量单位\t指标性质\t分值',
		'产出指标\t时效指标\t故障响应时间\t≤2\t小时\t定量\t10',
		'\t成本指标\t设备购置成本\t120\t万元\t定量\t5',
		'效益指标\t社会效益指标\t"教学效率\r\n（师生问卷）"\t明显提升\t\t定性\t25',
		'\t\t信息化应用覆盖面\t90%-95%\t\t定量\t5',
		'满意度指标\t服务对象满意度指标\t师生满意度\t≥90%\t\t定量\t１０',
	].join('\r\n') + '\r\n';
	await unit.locator(cell(2, 0)).focus();
	await paste(unit, { 'text/plain': block });
	const expected = [
		['产出指标', '数量指标', '改造教室数量', '≥30', '间', '定量', '20'],
		['产出指标', '质量指标', '验收合格率', '≥95%', '', '定量', '15'],
		['产出指标', '时效指标', '故障响应时间', '≤2', '小时', '定量', '10'],
		['产出指标', '成本指标', '设备购置成本', '120', '万元', '定量', '5'],
		['效益指标', '社会效益指标', '教学效率（师生问卷）', '明显提升', '', '定性', '25'],
		['效益指标', '社会效益指标', '信息化应用覆盖面', '90%-95%', '', '定量', '5'],
		['满意度指标', '服务对象满意度指标', '师生满意度', '≥90%', '', '定量', '10'],
	];
	let vals = await tableValues(unit);
	check(vals.length === expected.length, `the pasted block fills 5 rows after the 2 typed (${vals.length} rows)`);
	for (let r = 0; r < expected.length; r++) {
		for (let c = 0; c < 7; c++) {
			check(vals[r] && vals[r][c] === expected[r][c],
				`row ${r + 1} column ${c + 1} is "${expected[r][c]}" (got "${vals[r] && vals[r][c]}")`);
		}
	}
	check(await waitMeaning(unit, 3, /^≤ 120万元，越低越好/), 'a bare cost target reads as ≤ (meaning after paste)');
	check(await waitMeaning(unit, 5, /^无法解析：/), 'a range target is shown as 无法解析');
	check((await meaning(unit, 5)).cls.includes('warn'), 'the unparsed target is in the warning colour');
	check(await waitMeaning(unit, 4, /明显提升/), 'a qualitative target shows its tier');
	s = await sums(unit);
	check(s['产出指标'].text.includes('50') && s['效益指标'].text.includes('30') && s['满意度指标'].text.includes('10') &&
		s['合计'].text.includes('90'), 'sums after the paste: ' + JSON.stringify(s));

	/* ---- row operations: move, insert, HTML paste (WPS), undo, delete ---- */
	await unit.locator(cell(0, 2)).click();
	await unit.keyboard.press('Alt+ArrowDown');
	vals = await tableValues(unit);
	f = await focused(unit);
	check(vals[1][2] === '改造教室数量' && vals[0][2] === '验收合格率' && f[0] === 1 && f[1] === 2,
		'Alt+↓ moves the row down and the focus follows it');
	await unit.keyboard.press('Alt+ArrowUp');
	vals = await tableValues(unit);
	check(vals[0][2] === '改造教室数量', 'Alt+↑ moves it back');
	await unit.locator(cell(6, 2)).click();
	await unit.keyboard.press('Control+Enter');
	vals = await tableValues(unit);
	f = await focused(unit);
	check(vals.length === 8 && vals[7][0] === '满意度指标' && vals[7][2] === '' && f[0] === 7 && f[1] === 2,
		'Ctrl+Enter inserts a row below (inheriting 一级/二级) and focuses its 三级指标 cell');
	const wps = '<html><body><table><tr><td rowspan="2">效益指标</td><td>可持续影响指标</td><td>长效机制<br>建立</td>' +
		'<td>长期</td><td></td><td>定性</td><td>5</td></tr><tr><td>可持续影响指标</td><td>设备使用年限</td>' +
		'<td>≥5</td><td>年</td><td>定量</td><td>5</td></tr></table></body></html>';
	await unit.locator(cell(7, 0)).focus();
	await paste(unit, { 'text/html': wps });
	vals = await tableValues(unit);
	check(vals.length === 9 && vals[7].join('|') === '效益指标|可持续影响指标|长效机制建立|长期||定性|5' &&
		vals[8].join('|') === '效益指标|可持续影响指标|设备使用年限|≥5|年|定量|5',
	'a WPS table (text/html, rowspan) is pasted: ' + JSON.stringify(vals.slice(7)));
	await unit.getByRole('button', { name: '撤销', exact: true }).click();
	vals = await tableValues(unit);
	check(vals.length === 8 && vals[7][2] === '', 'undo restores the rows before the paste');
	await unit.locator(cell(7, 2)).click();
	await unit.keyboard.press('Control+Delete');
	vals = await tableValues(unit);
	f = await focused(unit);
	check(vals.length === 7 && f && f[0] === 6, `Ctrl+Delete removes the row and keeps the focus in the table (${f})`);

	/* ---- save ---- */
	await unit.getByRole('button', { name: '保存', exact: true }).click();
	await unit.waitForFunction(() => document.querySelector('#app .ge-state .badge')?.textContent === '草稿');
	check((await unit.locator('#app .ge-dirty').textContent()) === '已保存', 'after saving: 已保存');
	let saved = (await unitApi.get(`/api/projects/${pid}/goals`)).data.goal_version;
	check(saved && saved.indicators.length === 7 && saved.goals[0].text.startsWith('完成全校30间'),
		'the server holds the 7 indicators and the goal');
	check(saved && saved.indicators.map((i) => [i.level1, i.level2 || '', i.name, i.target || '', i.unit || '', i.nature || '', i.weight || ''])
		.every((row, r) => row.join('|') === expected[r].join('|')), 'every saved value equals the table');
	s = await sums(unit);
	check(s['产出指标'].cls.includes('ok') && s['产出指标'].text.includes('50 / 50') && s['合计'].cls.includes('ok') &&
		s['合计'].text.includes('90 / 90'), 'after the save the sums are checked against the rule set: ' + JSON.stringify(s));

	/* weight changes show the difference live, in red */
	await unit.locator(cell(1, 6)).click();
	await unit.keyboard.press('Control+A');
	await unit.keyboard.type('12');
	s = await sums(unit);
	check(s['产出指标'].cls.includes('bad') && s['产出指标'].text.includes('47 / 50') && s['产出指标'].text.includes('差 3') &&
		s['合计'].text.includes('87 / 90'), 'a changed weight: 产出指标 47 / 50 差 3 in red: ' + JSON.stringify(s));
	check((await unit.locator('#app .ge-dirty').textContent()) === '有未保存的修改', 'unsaved changes are flagged');

	/* ---- a field error from the API on its cell ---- */
	await unit.keyboard.press('Control+A');
	await unit.keyboard.type('-5');
	await unit.keyboard.press('Control+s');
	const errCell = unit.locator('#app .ge-table tbody tr:nth-child(2) td.ge-c-weight');
	await errCell.locator('.ge-err.api').waitFor({ timeout: 5000 });
	check(await errCell.evaluate((td) => td.classList.contains('invalid')), 'the weight cell of row 2 is marked invalid');
	const errText = await errCell.locator('.ge-err').textContent();
	check(/权重不能为负数/.test(errText), 'the API message is shown on the cell: ' + errText);
	check((await unit.locator(cell(1, 6)).getAttribute('aria-invalid')) === 'true', 'the cell input is aria-invalid');
	f = await focused(unit);
	check(f && f[0] === 1 && f[1] === 6, 'the focus goes to the cell in error');
	check(/第 2 行“分值”/.test(await unit.locator('#app .ge-banners').textContent()), 'a banner names row 2, 分值');
	await snap(unit, 'goals-error');
	await unit.keyboard.press('Control+A');
	await unit.keyboard.type('15');
	check(await errCell.locator('.ge-err').count() === 0, 'typing clears the error');
	/* fix the range target and see its meaning change */
	await unit.locator(cell(5, 3)).click();
	await unit.keyboard.press('Control+A');
	await unit.keyboard.type('≥90%');
	check(await waitMeaning(unit, 5, /^≥ 90%，越高越好$/), 'the meaning follows the corrected target');
	await unit.keyboard.press('Control+s');
	await unit.waitForFunction(() => document.querySelector('#app .ge-dirty')?.textContent === '已保存');
	s = await sums(unit);
	check(Object.values(s).every((x) => x.cls.includes('ok')), 'all sums green after the fix');
	await snap(unit, 'goals-filled');

	/* ---- a conflict (someone else saved meanwhile) ---- */
	saved = (await unitApi.get(`/api/projects/${pid}/goals`)).data.goal_version;
	const other = await unitApi.put(`/api/projects/${pid}/goals`, {
		version: saved.version, goals: saved.goals,
		indicators: saved.indicators.map((i) => ({ level1: i.level1, level2: i.level2, name: i.name, target: i.target,
			unit: i.unit, nature: i.nature, weight: i.weight })),
	});
	check(other.status === 200, 'another session saves meanwhile');
	await unit.locator(cell(0, 2)).click();
	await unit.keyboard.press('End');
	await unit.keyboard.type('（间）');
	await unit.getByRole('button', { name: '保存', exact: true }).click();
	const conflict = unit.locator('#app .ge-conflict');
	await conflict.waitFor({ timeout: 5000 });
	check(/已被他人修改/.test(await conflict.textContent()), 'a 409 says someone else changed it');
	await conflict.getByRole('button', { name: '重新加载' }).click();
	await unit.waitForFunction(() => !document.querySelector('#app .ge-conflict'));
	vals = await tableValues(unit);
	check(vals[0][2] === '改造教室数量', 'reloading shows the stored version');

	/* ---- submit ---- */
	await act(unit, '提交');
	await unit.waitForFunction(() => document.querySelector('#app .ge-state .badge')?.textContent === '已提交');
	check(await unit.locator('#app .ge-table .ge-in').count() === 0, 'a submitted version is read-only for the unit');
	check(await unit.locator('#app .ge-table.ro td[rowspan]').count() >= 2, 'read-only: 一级/二级 are merged cells');
	check(await unit.getByRole('button', { name: '保存', exact: true }).count() === 0, 'no 保存 once submitted');

	/* ---- the department returns it with a comment ---- */
	const dept = await newPage(server);
	await login(dept, server, 'dept01');
	await openGoals(dept, server, pid);
	check(await dept.locator('#app .ge-table .ge-in').count() === 0, 'the reviewer sees the table read-only');
	check(/≥ 30间，越高越好/.test(await dept.locator('#app .ge-table').textContent()), 'the reviewer sees the meanings');
	await act(dept, '退回', { comment: '请补充时效指标的完成时限', ok: '退回' });
	await dept.waitForFunction(() => document.querySelector('#app .ge-state .badge')?.textContent === '已退回');
	check(true, 'dept01 returned the goals');

	/* ---- the unit sees the comment and resubmits ---- */
	await openGoals(unit, server, pid);
	const ret = await unit.locator('#app .ge-return').textContent();
	check(/请补充时效指标的完成时限/.test(ret) && /dept01/.test(ret), 'the unit sees the return comment: ' + ret);
	check(await unit.locator('#app .ge-table .ge-in').count() === 7 * 7, 'a returned version is editable again');
	await snap(unit, 'goals-returned');
	await unit.locator(cell(2, 2)).click();
	await unit.keyboard.press('End');
	await unit.keyboard.type('（报修后）');
	await act(unit, '提交');
	await unit.waitForFunction(() => document.querySelector('#app .ge-state .badge')?.textContent === '已提交');
	saved = (await unitApi.get(`/api/projects/${pid}/goals`)).data.goal_version;
	check(saved.indicators[2].name === '故障响应时间（报修后）', '提交 saved the unsaved change first');

	/* ---- approvals: department, then finance ---- */
	await openGoals(dept, server, pid);
	await act(dept, '审核通过');
	await dept.waitForFunction(() => document.querySelector('#app .ge-state .badge')?.textContent === '主管部门已审核');
	const fin = await newPage(server);
	await login(fin, server, 'caizheng');
	await openGoals(fin, server, pid);
	await act(fin, '审核通过', { comment: '同意' });
	await fin.waitForFunction(() => document.querySelector('#app .ge-state .badge')?.textContent === '财政已审核');
	check((await badge(fin)) === '财政已审核', 'final state 财政已审核');
	const reviews = await fin.locator('#app .ge-reviews tbody tr').count();
	check(reviews === 5, `the review record lists every step (${reviews})`);
	await snap(fin, 'goals-approved');

	/* ---- an adjustment after approval: a new version with a reason ---- */
	await openGoals(unit, server, pid);
	check(await unit.locator('#app .ge-table .ge-in').count() === 0, 'an approved version is shown read-only');
	await unit.getByRole('button', { name: '调整绩效目标' }).click();
	await unit.locator(cell(0, 6)).click();
	await unit.keyboard.press('Control+A');
	await unit.keyboard.type('20');
	await unit.locator(cell(0, 3)).click();
	await unit.keyboard.press('Control+A');
	await unit.keyboard.type('≥32');
	await unit.getByRole('button', { name: '保存', exact: true }).click();
	const dlg = unit.getByRole('dialog');
	await dlg.waitFor();
	await dlg.locator('textarea').fill('新增2间录播教室');
	await dlg.getByRole('button', { name: '确定' }).click();
	await unit.waitForFunction(() => /第 2 版/.test(document.querySelector('#app .ge-ver')?.textContent || ''));
	check(/调整/.test(await unit.locator('#app .ge-ver').textContent()), 'the save made version 2 (调整)');
	check(/新增2间录播教室/.test(await unit.locator('#app .ge-banners').textContent()), 'the reason is shown');
	const opts = await unit.locator('#ge-version option').count();
	check(opts === 2, `the version list has both versions (${opts})`);
	const v1 = await unit.locator('#ge-version option').nth(1).getAttribute('value');
	await unit.selectOption('#ge-version', v1);
	await unit.waitForSelector('#app .ge-table.ro');
	check(/历史版本/.test(await unit.locator('#app .ge-banners').textContent()) &&
		/≥30/.test(await unit.locator('#app .ge-table').textContent()), 'version 1 is shown read-only with its own values');
	await unit.getByRole('button', { name: '返回当前版本' }).click();
	await unit.waitForSelector('#app .ge-table.editing');
	check(((await tableValues(unit))[0] || [])[3] === '≥32', 'back on the current version');

	/* ---- another unit's project is not reachable by URL ---- */
	const finApi = await apiAs(server, 'caizheng');
	const all = (await finApi.get('/api/projects?per_page=200')).data.items;
	const foreign = all.find((p) => p.unit.id !== created.data.unit.id);
	const stranger = await newPage(server);
	await login(stranger, server, 'unit0101');
	await openGoalsRaw(stranger, server, foreign.id);
	check(/项目不存在/.test(await stranger.locator('#app').textContent()) &&
		await stranger.locator('#app .ge-table').count() === 0, 'another unit\'s project answers 项目不存在');

	/* ---- the unsaved-changes guard ---- */
	await unit.locator(cell(0, 2)).click();
	await unit.keyboard.type('X');
	await unit.evaluate(() => { location.hash = '#/projects'; });
	const guard = unit.getByRole('dialog');
	await guard.waitFor();
	check(/未保存的修改/.test(await guard.textContent()), 'leaving with unsaved changes asks first');
	await guard.getByRole('button', { name: '取消' }).click();
	await guard.waitFor({ state: 'detached' });
	check(unit.url().endsWith(`#/projects/${pid}/goals`) && await unit.locator('#app .ge-table.editing').count() === 1,
		'cancel stays on the editor');
} finally {
	await browser.close();
	await server.stop();
}
console.log(`test_goals: ${((Date.now() - T0) / 1000).toFixed(1)} s`);
done();
