/*
 * test_eval.mjs - the self-evaluation page (#/evals/:id) in a real browser.
 *
 * Set-up through the API: unit0101 creates a project with four indicators
 * and submits its goals, dept01 and caizheng approve them, caizheng sets a
 * budget, unit0101 records a payment and starts the self-evaluation. Then,
 * as unit0101 in the browser: typing actual values changes the scores, the
 * total and the grade live (the focus and the caret stay); an actual below a
 * ≥ target lowers the line's score and puts "偏差原因" on that row; the
 * reason makes it go; "为什么是这个分数" opens by mouse and by keyboard;
 * Enter moves down a column; an over-long value is refused on its cell;
 * the unsaved-changes guard; save; a stale save (409) offers a reload;
 * submit with an error warns and still submits; the page is read-only then.
 */
import {
	startServer, launch, login, shot, check, done, apiAs, waitPage,
} from './harness.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function must(res, what, status = [200, 201]) {
	if (!status.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.data)}`);
	return res.data;
}

/* A project with approved goals, a budget, a payment and a started self-evaluation. */
export async function setupEval(server, code, { budget = true } = {}) {
	const unit = await apiAs(server, 'unit0101');
	const dept = await apiAs(server, 'dept01');
	const fin = await apiAs(server, 'caizheng');
	const p = must(await unit.post('/api/projects', { code, name: '职业技能培训项目（界面测试）', year: 2024 }), 'create project');
	const g = must(await unit.put(`/api/projects/${p.id}/goals`, {
		version: 0,
		goals: [{ kind: 'annual', text: '全年培训100人次，合格率不低于90%' }],
		indicators: [
			{ level1: '产出指标', level2: '数量指标', name: '培训人次', target: '≥100人次', weight: '30' },
			{ level1: '产出指标', level2: '质量指标', name: '培训合格率', target: '≥90%', weight: '20' },
			{ level1: '效益指标', level2: '社会效益指标', name: '就业技能提升', target: '明显提升', weight: '30' },
			{ level1: '满意度指标', level2: '服务对象满意度指标', name: '学员满意度', target: '≥90%', weight: '10' },
		],
	}), 'save goals');
	let gv = g.goal_version;
	gv = must(await unit.post(`/api/goal-versions/${gv.id}/transitions`, { action: 'submit', version: gv.version }), 'submit goals').goal_version;
	gv = must(await dept.post(`/api/goal-versions/${gv.id}/transitions`, { action: 'dept_approve', version: gv.version }), 'dept approve').goal_version;
	gv = must(await fin.post(`/api/goal-versions/${gv.id}/transitions`, { action: 'finance_approve', version: gv.version }), 'finance approve').goal_version;
	if (budget) {
		const proj = must(await fin.get(`/api/projects/${p.id}`), 'get project');
		must(await fin.put(`/api/projects/${p.id}/budget`, { initial_fen: 1000000000, version: proj.version }), 'budget');
		must(await unit.post(`/api/projects/${p.id}/payments`, { date: '2024-11-30', amount_fen: 950000000, payee: '市职业培训中心' }), 'payment');
	}
	const ev = must(await unit.post(`/api/projects/${p.id}/self-eval`, {}), 'start self-eval');
	return { unit, dept, fin, project: p, goalVersion: gv, ev };
}

async function text(page, sel) {
	return (await page.locator(sel).first().textContent() || '').trim();
}

async function waitTotal(page, expected, what) {
	try {
		await page.waitForFunction((v) => {
			const t = document.querySelector('#ev-total');
			const c = document.querySelector('.ev-calc');
			return t && t.textContent.trim() === v && c && !c.classList.contains('busy');
		}, expected, { timeout: 5000 });
		check(true, what);
	} catch {
		check(false, `${what}: total shows ${await text(page, '#ev-total')}, expected ${expected}`);
	}
}

async function dialogButton(page, name) {
	const b = page.locator('dialog[open]').getByRole('button', { name, exact: true });
	await b.waitFor({ timeout: 5000 });
	return b;
}

async function main() {
	const server = await startServer({ projects: 12 });
	const { browser, newPage } = await launch();
	try {
		const { unit, ev } = await setupEval(server, 'UI-EVAL-001');
		const id = ev.id;
		const page = await newPage(server);
		await login(page, server, 'unit0101');
		await page.goto(`${server.url}/#/evals/${id}`);
		await waitPage(page, 'eval');

		/* the form users know */
		const body = await page.locator('#app').textContent();
		for (const w of ['项目支出绩效自评表', '2024年度', '项目名称', '主管部门', '实施单位', '年初预算数', '全年预算数',
			'全年执行数', '执行率', '年度总体目标', '预期目标', '实际完成情况', '一级指标', '二级指标', '三级指标',
			'年度指标值', '实际完成值', '分值', '得分', '完成率', '偏差原因分析及改进措施', '总分'])
			check(body.includes(w), `the form shows “${w}”`);
		check(await page.locator('link[data-css="eval"]').count() === 1, 'eval.css is inserted with a <link>');
		check(body.includes('职业技能培训项目（界面测试）'), 'the project name is shown');
		check(await text(page, '.ev-funds tbody tr:nth-child(2) td:nth-child(3)') === '1000', '全年预算数 1000 万元');
		check(await text(page, '.ev-funds tbody tr:nth-child(2) td:nth-child(4)') === '950', '全年执行数 950 万元');
		check((await text(page, '#ev-total')) === '9.5', 'before any value the total is the execution line: 9.5');
		check(await page.locator('tr.ev-detail[data-detail="0"] li.ev-f[data-code="MISSING_VALUE"]').count() >= 1,
			'a blank actual value is a finding on its row');
		check((await text(page, '.ev-count-error')).startsWith('错误 8'), 'the counts show 8 errors');

		/* type the actual values: everything computed live */
		const values = ['100人次', '95%', '明显提升', '92%'];
		for (let i = 0; i < values.length; i++) {
			await page.locator(`[data-field="lines[${i}].actual"]`).click();
			await page.keyboard.type(values[i], { delay: 15 });
		}
		const expectAll = must(await unit.post(`/api/evals/${id}/preview`, {
			lines: values.map((a, i) => ({ position: i, actual: a })), goals: [],
		}), 'preview all');
		await waitTotal(page, expectAll.total.computed, `the total follows the typed values (${expectAll.total.computed})`);
		check(await text(page, '.ev-live-grade .badge') === expectAll.grade.computed, `the grade is computed live (${expectAll.grade.computed})`);
		check(await text(page, 'tr.ev-line[data-line="1"] .ev-why-score') === expectAll.lines[1].score, 'line 2 shows its computed score');
		check((await text(page, 'tr.ev-line[data-line="0"] .ev-completion')).startsWith('100%'), 'line 1 shows its completion rate');
		const focus = await page.evaluate(() => {
			const a = document.activeElement;
			return { field: a && a.dataset.field, caret: a && a.selectionStart, len: a && a.value.length };
		});
		check(focus.field === 'lines[3].actual' && focus.caret === focus.len,
			`the focus and the caret stay in the cell being typed in (${JSON.stringify(focus)})`);
		check(await page.locator('.ev-count-error').count() === 0 || (await text(page, '.ev-count-error')).startsWith('错误 0'),
			'with every value typed the errors are gone');

		/* below a ≥ target: the score drops and the row says a reason is missing */
		const first = page.locator('[data-field="lines[0].actual"]');
		await first.click();
		await first.press('Control+a');
		await page.keyboard.type('80人次', { delay: 15 });
		await page.keyboard.press('ArrowLeft');
		await page.keyboard.press('ArrowLeft');
		const expect80 = must(await unit.post(`/api/evals/${id}/preview`, {
			lines: [{ position: 0, actual: '80人次' }, ...values.slice(1).map((a, i) => ({ position: i + 1, actual: a }))], goals: [],
		}), 'preview 80');
		await waitTotal(page, expect80.total.computed, `the total drops to ${expect80.total.computed}`);
		check(await text(page, 'tr.ev-line[data-line="0"] .ev-why-score') === expect80.lines[0].score,
			`line 1's score drops to ${expect80.lines[0].score}`);
		const reasonNote = page.locator('tr.ev-detail[data-detail="0"] li.ev-f[data-code="MISSING_DEVIATION_REASON"]');
		check(await reasonNote.count() === 1 && await reasonNote.isVisible(), 'the missing deviation reason is shown on that row');
		check((await reasonNote.textContent()).includes('偏差原因'), 'the finding is in plain Chinese');
		check(await page.locator('[data-field="lines[0].reason"].ev-flag-error').count() === 1, 'the reason cell is marked');
		check(await page.locator('tr.ev-line[data-line="0"].ev-row-error').count() === 1, 'the row is marked as an error');
		const caret = await page.evaluate(() => ({ f: document.activeElement.dataset.field, s: document.activeElement.selectionStart }));
		check(caret.f === 'lines[0].actual' && caret.s === 2, `the caret stays where it was moved to (${JSON.stringify(caret)})`);
		await page.evaluate(() => window.scrollTo(0, 0));
		await shot(page, 'eval-live-finding');

		/* "为什么是这个分数", by mouse and by keyboard */
		const whyBtn = page.locator('tr.ev-line[data-line="0"] .ev-why-btn');
		await whyBtn.click();
		const whyId = await whyBtn.getAttribute('aria-controls');
		const whyPanel = page.locator(`#${whyId}`);
		check(await whyPanel.isVisible(), 'the explanation opens');
		check((await whyPanel.textContent()).includes(expect80.lines[0].why), 'it is the rule trace of the line');
		check(await whyBtn.getAttribute('aria-expanded') === 'true', 'aria-expanded tells it is open');
		await page.locator('tr.ev-line[data-line="1"] .ev-why-btn').focus();
		await page.keyboard.press('Enter');
		check(await page.locator('tr.ev-line[data-line="1"] .ev-why-btn[aria-expanded="true"]').count() === 1, 'Enter on the score opens its explanation');
		const totalBtn = page.locator('tr.ev-total .ev-why-btn');
		await totalBtn.click();
		check((await page.locator('#' + await totalBtn.getAttribute('aria-controls')).textContent()).includes('总分'), 'the total has its explanation');
		await page.evaluate(() => window.scrollTo(0, 0));
		await shot(page, 'eval-why-open');
		await page.locator('tr.ev-line[data-line="1"] .ev-why-btn').click();
		check(await page.locator('tr.ev-line[data-line="1"] .ev-why-btn[aria-expanded="false"]').count() === 1, 'a second click closes it');

		/* the reason makes the finding go */
		await page.locator('[data-field="lines[0].reason"]').click();
		await page.keyboard.type('报名人数不足，下半年增开两期', { delay: 10 });
		await page.waitForFunction(() => !document.querySelector('tr.ev-detail[data-detail="0"] li.ev-f[data-code="MISSING_DEVIATION_REASON"]'), null, { timeout: 5000 })
			.then(() => check(true, 'the finding goes once the reason is given'), () => check(false, 'the finding goes once the reason is given'));

		/* Enter moves down a column; Alt+Enter is a new line in a reason */
		await page.locator('[data-field="lines[0].actual"]').focus();
		await page.keyboard.press('Enter');
		check(await page.evaluate(() => document.activeElement.dataset.field) === 'lines[1].actual', 'Enter moves to the next row');
		await page.keyboard.press('Shift+Enter');
		check(await page.evaluate(() => document.activeElement.dataset.field) === 'lines[0].actual', 'Shift+Enter moves up');
		await page.keyboard.press('Tab');
		const afterTab = await page.evaluate(() => document.activeElement.className);
		check(/ev-why-btn/.test(afterTab), 'Tab goes on to the score (its explanation)');
		await page.keyboard.press('Tab');
		check(await page.evaluate(() => document.activeElement.dataset.field) === 'lines[0].reason', 'then to the reason');

		/* the annual goal achieved */
		await page.locator('[data-field="goals[0].achieved"]').fill('全年培训80人次，合格率95%');

		/* an over-long value is refused on its cell (512 bytes) */
		const second = page.locator('[data-field="lines[1].actual"]');
		await second.fill('很'.repeat(200));
		await page.locator('td.ev-actual:has([data-field="lines[1].actual"]) .field-note').waitFor({ timeout: 5000 })
			.then(() => check(true, 'a value the API refuses is marked on its cell'), () => check(false, 'a value the API refuses is marked on its cell'));
		await second.fill('95%');
		await page.waitForFunction(() => !document.querySelector('.ev-lines .field-note'), null, { timeout: 5000 })
			.then(() => check(true, 'the note goes with a good value'), () => check(false, 'the note goes with a good value'));

		/* leaving with unsaved changes asks */
		await page.locator('.ev-meta-links a', { hasText: '返回项目' }).click();
		const stay = await dialogButton(page, '取消');
		check((await page.locator('dialog[open]').textContent()).includes('未保存'), 'leaving with unsaved changes asks first');
		await stay.click();
		await sleep(200);
		check(page.url().endsWith(`#/evals/${id}`), 'cancel stays on the page');
		check(await page.locator('[data-field="lines[0].reason"]').inputValue() === '报名人数不足，下半年增开两期', 'nothing typed is lost');

		/* save */
		await page.locator('#ev-save').click();
		await page.locator('.toast-item', { hasText: '已保存' }).waitFor({ timeout: 5000 });
		let stored = must(await unit.get(`/api/evals/${id}`), 'get');
		check(stored.version === 2, 'the save wrote version 2');
		check(stored.lines[0].actual === '80人次' && stored.lines[0].reason === '报名人数不足，下半年增开两期', 'the values are stored');
		check(stored.goals[0].achieved === '全年培训80人次，合格率95%', 'the achieved goal is stored');
		check(stored.lines[0].score_stated === expect80.lines[0].score, 'the computed score is stored');
		check(await page.locator('.ev-dirty-note').isHidden(), 'no unsaved-changes mark after saving');

		/* a stale save: someone else saved meanwhile */
		must(await unit.patch(`/api/evals/${id}`, { version: stored.version, lines: [{ position: 3, reason: '另一处修改' }] }), 'concurrent save');
		await page.locator('[data-field="lines[2].reason"]').fill('培训后跟踪调查显示技能明显提升');
		await page.locator('#ev-save').click();
		const reloadBtn = await dialogButton(page, '重新载入');
		check((await page.locator('dialog[open]').textContent()).includes('修改'), 'a stale save says someone else changed it');
		await reloadBtn.click();
		await page.waitForFunction(() => document.querySelector('[data-field="lines[3].reason"]')?.value === '另一处修改', null, { timeout: 5000 })
			.then(() => check(true, 'reloading shows the other save'), () => check(false, 'reloading shows the other save'));

		/* submit with an error: warned, still allowed */
		const sat = page.locator('[data-field="lines[3].actual"]');
		await sat.fill('85%');
		await page.locator('[data-field="lines[3].reason"]').fill('');
		await page.waitForSelector('tr.ev-detail[data-detail="3"] li.ev-f[data-code="MISSING_DEVIATION_REASON"]', { timeout: 5000 });
		await page.locator('button.ev-action[data-action="submit"]').click();
		const go = await dialogButton(page, '仍然提交');
		check((await page.locator('dialog[open]').textContent()).includes('项错误'), 'submitting with errors warns');
		await go.click();
		await page.locator('.toast-item', { hasText: '提交成功' }).waitFor({ timeout: 5000 });
		await page.locator('.ev-bar .badge.st-submitted').waitFor({ timeout: 5000 });
		check(true, 'the state is 已提交');
		check(await page.locator('.ev-input').count() === 0, 'a submitted self-evaluation is read-only');
		check(await page.locator('#ev-save').count() === 0, 'no save button when read-only');
		check(await page.locator('tr.ev-detail[data-detail="3"] li.ev-f[data-code="MISSING_DEVIATION_REASON"]').count() === 1,
			'the findings stay on their rows when read-only');
		check(await page.locator('.ev-history td', { hasText: 'unit0101' }).count() >= 1, 'the review history lists the submission');
		stored = must(await unit.get(`/api/evals/${id}`), 'get');
		check(stored.status.key === 'submitted' && stored.lines[3].actual === '85%', 'the submission saved what was typed first');
		check(await page.locator('a[href="#/evals/' + id + '/print"]').count() === 1, 'a link to the print view');
		await page.evaluate(() => window.scrollTo(0, 0));
		await shot(page, 'eval-submitted');

		/* no budget when it started: no execution line, a finding about the whole table above it */
		const nb = await setupEval(server, 'UI-EVAL-002', { budget: false });
		await page.goto(`${server.url}/#/evals/${nb.ev.id}`);
		await waitPage(page, 'eval');
		check((await text(page, '.ev-form')).includes('尚无预算'), 'without a budget the funds block says so');
		const headF = nb.ev.findings.filter((f) => f.indicator === null);
		check(headF.length > 0 && await page.locator('.ev-head-findings li.ev-f').count() === headF.length,
			`the findings not about one line are listed above the table (${headF.map((f) => f.code).join(', ')})`);
	} finally {
		await browser.close();
		await server.stop();
	}
	done();
}

if (process.argv[1] && process.argv[1].endsWith('test_eval.mjs')) {
	main().catch((err) => {
		console.error(err);
		check(false, 'test_eval.mjs ran to the end: ' + err.message);
		done();
	});
}
