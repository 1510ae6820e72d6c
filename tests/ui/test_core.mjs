/*
 * test_core.mjs - the UI shell and the core pages in a real browser:
 * sign-in per role and each home page, 新建项目 by typing (field errors in
 * place), the project list's filters, search, sort and paging (kept in the
 * hash), the money forms on the project page (payment by a unit filer,
 * adjustment and budget by the finance bureau; a bad amount is reported next
 * to the field), another unit's project answering 项目不存在, the print
 * views, sign-out; screenshots at 1366×768 in tests/ui/artifacts/.
 *
 *   JIXIAO=build/debug/jixiao node tests/ui/test_core.mjs
 */
import { startServer, launch, login, shot, check, done, waitPage, apiAs } from './harness.mjs';

const server = await startServer({ projects: 60 });
const { browser, newPage } = await launch();

const text = (page, sel) => page.locator(sel).first().innerText();
const rows = (page) => page.locator('#app table.grid tbody tr:not(.empty)').count();
const hash = (page) => page.evaluate(() => location.hash);

async function gotoHash(page, h, name) {
	if (await hash(page) === h) await page.reload(); /* the same page, afresh */
	else await page.evaluate((x) => { location.hash = x; }, h);
	await waitPage(page, name);
}

/* the list is reloaded after each filter change: wait until it settles */
async function listSettled(page) {
	await page.waitForSelector('#app .list-box[aria-busy="false"]');
}

try {
	/* ---- the login page, a wrong password, then each role's home ---- */
	{
		const page = await newPage(server);
		await page.goto(server.url + '/');
		await waitPage(page, 'login');
		check(/#\/login/.test(await hash(page)), 'an anonymous visitor is sent to #/login');
		check(await page.locator('#nav').isHidden(), 'no navigation before sign-in');
		await shot(page, 'login');
		await page.getByLabel('用户名').fill('unit0101');
		await page.getByLabel('密码').fill('wrong-password1');
		await page.getByLabel('密码').press('Enter');
		await page.waitForSelector('.login-status:not(:empty)');
		check((await text(page, '.login-status')).includes('用户名或密码错误'), 'a wrong password says 用户名或密码错误');
		await page.getByLabel('用户名').fill('');
		await page.getByRole('button', { name: '登录' }).click();
		check(await page.locator('[data-field="login"] + .field-note').count() === 1,
			'an empty 用户名 is reported next to the field');
	}

	/* the keyboard alone: the focus starts in 用户名, Tab to 密码, Enter signs in */
	{
		const page = await newPage(server);
		await page.goto(server.url + '/#/login');
		await waitPage(page, 'login');
		check(await page.evaluate(() => document.activeElement.id) === 'login-name', 'the login page focuses 用户名');
		await page.keyboard.type('caizheng');
		await page.keyboard.press('Tab');
		await page.keyboard.type('jixiao2026');
		await page.keyboard.press('Enter');
		await waitPage(page, 'home');
		check(await page.locator('#who-role').innerText() === '财政审核', 'signed in with the keyboard alone');
		await page.keyboard.press('Tab');
		const first = await page.evaluate(() => document.activeElement && document.activeElement.textContent.trim());
		check(first.length > 0, 'Tab from the page reaches a control (' + first + ')');
		await page.close();
	}

	/* something to wait for: a returned self-evaluation with its reason, a submitted one */
	const u0 = await apiAs(server, 'unit0101');
	const d0 = await apiAs(server, 'dept01');
	const own = (await u0.get('/api/projects?q=DEMO&sort=code&per_page=200')).data.items.filter((p) => p.eval);
	const [retP, subP] = [own[1], own[2]];
	let r = await u0.post(`/api/evals/${retP.eval.id}/transitions`, { action: 'submit', version: 1 });
	r = await d0.post(`/api/evals/${retP.eval.id}/transitions`, { action: 'dept_return', version: r.data.version,
		comment: '请补充偏差原因分析' });
	check(r.status === 200, 'setup: dept01 returned a self-evaluation');
	r = await u0.post(`/api/evals/${subP.eval.id}/transitions`, { action: 'submit', version: 1 });
	check(r.status === 200, 'setup: unit0101 submitted a self-evaluation');

	const expectHome = {
		unit0101: { role: '单位填报', lists: ['已退回，待修改', '草稿，待提交', '尚未开始自评的项目'], nav: ['首页', '项目', '看板'] },
		dept01: { role: '主管部门审核', lists: ['待主管部门审核'], nav: ['首页', '项目', '审核', '看板'] },
		caizheng: { role: '财政审核', lists: ['待财政审核'], nav: ['首页', '项目', '审核', '看板'] },
		admin: { role: '系统管理员', lists: ['系统概况'], nav: ['首页', '项目', '看板'] },
	};
	const pages = {};
	for (const [who, exp] of Object.entries(expectHome)) {
		const page = await newPage(server);
		pages[who] = page;
		await login(page, server, who);
		check(await page.locator('#app h1').innerText() === '首页', `${who}: the home page shows 首页`);
		check((await text(page, '#who-role')) === exp.role, `${who}: the header says the role ${exp.role}`);
		check((await text(page, '#who-name')).length > 0, `${who}: the header shows the user's name`);
		const navText = (await page.locator('#nav a').allInnerTexts()).map((t) => t.replace(/\d+$/, '').trim());
		check(JSON.stringify(navText) === JSON.stringify(exp.nav), `${who}: navigation ${exp.nav.join('/')} (got ${navText.join('/')})`);
		const h2 = await page.locator('#app h2').allInnerTexts();
		for (const l of exp.lists)
			check(h2.some((t) => t.startsWith(l)), `${who}: the home page lists ${l}`);
		check(await page.getByRole('button', { name: '退出' }).isVisible(), `${who}: 退出 is there`);
		await shot(page, 'home-' + who);
	}
	{
		const home = await pages.unit0101.locator('#app').innerText();
		check(home.includes(retP.name) && home.includes('退回意见：请补充偏差原因分析'),
			'unit0101: the returned self-evaluation is listed with the reason');
		check(await pages.unit0101.locator(`a[href="#/evals/${retP.eval.id}"]`).count() > 0, 'unit0101: a link opens it');
		const dh = await pages.dept01.locator('#app').innerText();
		check(dh.includes(subP.name), 'dept01: the submitted self-evaluation waits for review');
		check((await pages.dept01.locator('#nav a[href="#/review"]').innerText()).includes('1'),
			'dept01: the 审核 navigation shows the count');
	}

	/* ---- 新建项目 by typing (unit filer) ---- */
	const unit = pages.unit0101;
	{
		const page = unit;
		await gotoHash(page, '#/projects', 'projects');
		await shot(page, 'projects-unit0101');
		await page.getByRole('button', { name: '新建项目' }).click();
		const dlg = page.locator('dialog[open]');
		await dlg.waitFor();
		check(await page.evaluate(() => document.activeElement && document.activeElement.id) === 'np-code',
			'the dialog opens with the focus on 项目编码');
		await dlg.getByLabel('项目名称').fill('');
		await dlg.getByRole('button', { name: '创建' }).click();
		await dlg.locator('.field-note').first().waitFor();
		check(await dlg.locator('[data-field="code"] + .field-note').innerText() === '请填写项目编码',
			'an empty 项目编码 is reported next to the field');
		check(await dlg.locator('[data-field="name"] + .field-note').innerText() === '请填写项目名称',
			'an empty 项目名称 is reported next to the field');
		await shot(page, 'projects-new-dialog');
		/* the server's answer for an existing code lands next to 项目编码 */
		await dlg.getByLabel('项目编码').fill('DEMO-2024-0001');
		await dlg.getByLabel('项目名称').fill('重复编码的项目');
		await dlg.getByLabel('年度').fill('2025');
		await dlg.getByLabel('项目名称').press('Enter');
		await dlg.locator('[data-field="code"] + .field-note').waitFor();
		check(await dlg.locator('#np-code').getAttribute('aria-invalid') === 'true',
			'the conflict on 项目编码 (409) marks the field');
		await dlg.getByLabel('结束日期').fill('2025-01-01');
		await dlg.getByLabel('开始日期').fill('2025-12-31');
		await dlg.getByLabel('项目编码').fill('UI-2025-001');
		await dlg.getByRole('button', { name: '创建' }).click();
		await dlg.locator('[data-field="end_date"] + .field-note').waitFor();
		check((await dlg.locator('[data-field="end_date"] + .field-note').innerText()).includes('结束日期不能早于开始日期'),
			'an end before the start is reported next to 结束日期');
		await dlg.getByLabel('开始日期').fill('2025-01-01');
		await dlg.getByLabel('结束日期').fill('2025-12-31');
		await dlg.getByLabel('项目名称').fill('界面测试：校园安全设施改造');
		await dlg.getByLabel('项目类型').fill('专项');
		await dlg.getByRole('button', { name: '创建' }).click();
		await page.waitForFunction(() => /^#\/projects\/\d+$/.test(location.hash));
		await waitPage(page, 'project');
		check(await page.locator('#app h1').innerText() === '界面测试：校园安全设施改造', 'the new project opens on its page');
		check(await page.locator('dialog[open]').count() === 0, 'the dialog closed');
		const api = await apiAs(server, 'unit0101');
		const list = await api.get('/api/projects?q=UI-2025-001');
		check(list.data.total === 1 && list.data.items[0].year === 2025 && list.data.items[0].unit.id === api.user.org.id,
			'the project was created in the unit, year 2025');
		check(await page.getByRole('link', { name: '填报绩效目标' }).count() === 1, 'the new project offers 填报绩效目标');

		/* Esc closes the dialog */
		await gotoHash(page, '#/projects?new=1', 'projects');
		await page.locator('dialog[open]').waitFor();
		await page.keyboard.press('Escape');
		await page.waitForFunction(() => !document.querySelector('dialog[open]'));
		check(true, 'Esc closes the 新建项目 dialog');
	}

	/* ---- the list: filters, search, sort, paging, all in the hash ---- */
	{
		const page = pages.caizheng;
		await gotoHash(page, '#/projects', 'projects');
		await listSettled(page);
		const api = await apiAs(server, 'caizheng');
		const all = (await api.get('/api/projects?per_page=1')).data.total;
		check(all > 50, `the finance bureau sees all ${all} projects`);
		check(await rows(page) === 50, 'the first page shows 50 rows');
		check((await text(page, '.pager-info')).includes('共 ' + all + ' 条'), 'the pager says the total');
		await page.getByRole('button', { name: '下一页' }).click();
		await listSettled(page);
		check(/page=2/.test(await hash(page)), 'page 2 is in the hash');
		check(await rows(page) === all - 50, 'page 2 shows the rest');
		await shot(page, 'projects-finance');

		await page.getByLabel('年度').selectOption('2021');
		await listSettled(page);
		const y2021 = (await api.get('/api/projects?year=2021')).data.total;
		check(await rows(page) === y2021 && y2021 > 0, `年度 2021 shows its ${y2021} projects`);
		check(/year=2021/.test(await hash(page)) && !/page=/.test(await hash(page)), 'the year is in the hash, the page reset');

		await page.getByLabel('年度').selectOption('');
		await page.getByLabel('评价等级').selectOption('良');
		await page.getByLabel('审核问题').selectOption('1');
		await listSettled(page);
		const liangErr = (await api.get('/api/projects?grade=' + encodeURIComponent('良') + '&has_errors=1')).data.total;
		check(await rows(page) === liangErr, `等级 良 with errors: ${liangErr} rows`);
		const hs = decodeURIComponent(await hash(page));
		check(hs.includes('grade=良') && hs.includes('has_errors=1'), 'grade and has_errors are in the hash');

		await page.getByRole('button', { name: '清除筛选' }).click();
		await listSettled(page);
		await page.getByLabel('搜索').fill('seed');
		await page.getByLabel('搜索').press('Enter');
		await listSettled(page);
		check(await rows(page) === 4, 'searching "seed" finds the 4 imported seed forms');

		await page.getByLabel('主管部门').selectOption({ label: '示范市教育局' });
		await page.getByLabel('搜索').fill('');
		await page.getByLabel('搜索').press('Enter');
		await listSettled(page);
		const depts = (await api.get('/api/orgs?kind=department&q=' + encodeURIComponent('示范市教育局'))).data.items;
		const edu = (await api.get('/api/projects?dept_id=' + depts[0].id)).data.total;
		check(await rows(page) === edu, `主管部门 示范市教育局: ${edu} rows`);
		const unitOpts = await page.locator('#f-unit option').allInnerTexts();
		check(unitOpts.length > 1 && unitOpts.slice(1).every((t) => t.startsWith('教育局')),
			'the 实施单位 choices follow the 主管部门');

		/* sort by clicking 得分: descending first, then ascending */
		await page.getByRole('button', { name: /^得分/ }).click();
		await listSettled(page);
		check(/sort=-score/.test(await hash(page)), 'clicking 得分 sorts by score, highest first (sort=-score)');
		let scores = (await page.locator('#app td.col-score').allInnerTexts()).filter((s) => s !== '—').map(Number);
		check(scores.length > 1 && scores.every((s, i) => i === 0 || scores[i - 1] >= s), 'scores descend');
		check(await page.locator('th.sorted[aria-sort="descending"]').count() === 1, 'the header says aria-sort=descending');
		await page.getByRole('button', { name: /^得分/ }).click();
		await listSettled(page);
		check(/sort=score/.test(await hash(page)) && !/sort=-/.test(await hash(page)), 'a second click sorts ascending');
		scores = (await page.locator('#app td.col-score').allInnerTexts()).filter((s) => s !== '—').map(Number);
		check(scores.length > 1 && scores.every((s, i) => i === 0 || scores[i - 1] <= s), 'scores ascend');

		/* the hash restores the list */
		const kept = await hash(page);
		await page.reload();
		await waitPage(page, 'projects');
		await listSettled(page);
		check(await page.locator('#f-dept').inputValue() === String(depts[0].id), 'after a reload the 主管部门 filter is restored');
		check(await rows(page) === edu, 'after a reload the same rows are listed');
		check(await hash(page) === kept, 'the hash is kept');
	}

	/* ---- the project page: money forms ---- */
	const uapi = await apiAs(server, 'unit0101');
	const mine = (await uapi.get('/api/projects?per_page=200&q=DEMO')).data.items[0];
	{
		const page = unit;
		await gotoHash(page, '#/projects/' + mine.id, 'project');
		check(await page.locator('#app h1').innerText() === mine.name, 'the project page shows the name');
		check((await text(page, '.money-figures')).includes('全年预算数'), 'the money block shows 全年预算数');
		check((await page.locator('.progress-row').allInnerTexts()).some((t) => t.includes('序时进度')), 'the rate is shown against 序时进度');
		check(await page.getByRole('tab', { name: '年初预算' }).count() === 0, 'a unit filer cannot set the budget');
		check(await page.locator('#adj-amount').count() === 0, 'a unit filer cannot record adjustments');
		await page.locator('#pay-amount').fill('12,3a');
		await page.locator('#pay-payee').fill('某教学设备有限公司');
		await page.getByRole('button', { name: '记录支付' }).click();
		await page.locator('#tp-pay .input-unit + .field-note').waitFor();
		check(await page.locator('#pay-amount').getAttribute('aria-invalid') === 'true', 'a bad payment amount marks the field');
		check((await page.locator('.field-note').first().innerText()).includes('金额格式不正确'), 'and says 金额格式不正确');
		check(await page.evaluate(() => document.activeElement.id) === 'pay-amount', 'the focus goes to the bad amount');
		await page.locator('#pay-amount').fill('1234.56');
		check((await text(page, '#pay-amount-echo')).includes('1,234.56 元'), 'the amount is echoed in 元 while typing');
		await page.locator('#pay-purpose').fill('交互式黑板');
		await page.getByRole('button', { name: '记录支付' }).click();
		await page.locator('.toast-ok').first().waitFor();
		await page.waitForFunction(() => document.querySelector('#tp-pay table') &&
			document.querySelector('#tp-pay table').innerText.includes('1,234.56'));
		check(await page.locator('.field-note').count() === 0, 'no field errors after a good payment');
		const funds = (await uapi.get('/api/projects/' + mine.id + '/funds')).data;
		check(funds.payments.count === 1 && funds.payments.total_fen === 123456, 'the payment of 123456 分 was recorded');
		check(funds.executed_source === 'payments', 'the executed amount now comes from payments');
		await shot(page, 'project-unit0101');
		check((await text(page, '.history')).includes('资金支付'), 'the history lists the payment');
	}

	/* 修改项目信息 */
	{
		const page = unit;
		const fresh = (await u0.get('/api/projects?q=UI-2025-001')).data.items[0];
		await gotoHash(page, '#/projects/' + fresh.id, 'project');
		await page.getByRole('button', { name: '修改项目信息' }).click();
		const dlg = page.locator('dialog[open]');
		await dlg.getByLabel('项目名称').fill('   ');
		await dlg.getByRole('button', { name: '保存' }).click();
		await dlg.locator('[data-field="name"] + .field-note').waitFor();
		check(true, 'a blank name is refused next to the field');
		await dlg.getByLabel('项目名称').fill('界面测试：校园安全设施改造（一期）');
		await dlg.getByLabel('项目名称').press('Enter');
		await page.waitForFunction(() => document.querySelector('#app h1').innerText.includes('（一期）'));
		const after = (await u0.get('/api/projects/' + fresh.id)).data;
		check(after.name === '界面测试：校园安全设施改造（一期）' && after.version === 2, 'the new name was saved');
		await page.waitForFunction(() => document.querySelector('.history').innerText.includes('修改了项目名称'));
		check(true, 'the history says 修改了项目名称');
	}

	/* 开始自评: once the goals are approved, a unit filer starts the self-evaluation */
	{
		const page = unit;
		const fresh = (await u0.get('/api/projects?q=UI-2025-001')).data.items[0];
		await gotoHash(page, '#/projects/' + fresh.id, 'project');
		check((await text(page, '#app')).includes('绩效目标经财政审核后，单位方可开始自评'), 'without approved goals there is no 开始自评');
		check(await page.getByRole('button', { name: '开始自评' }).count() === 0, 'and no button');
		let g = await u0.put(`/api/projects/${fresh.id}/goals`, { version: 0, goals: [{ kind: 'annual', text: '完成10所学校安全设施改造' }],
			indicators: [
				{ level1: '产出指标', level2: '数量指标', name: '改造学校数量', target: '≥10', unit: '所', weight: '50' },
				{ level1: '效益指标', level2: '社会效益指标', name: '安全事故发生率', target: '明显下降', weight: '30' },
				{ level1: '满意度指标', level2: '服务对象满意度指标', name: '师生满意度', target: '≥90%', weight: '10' }] });
		const fin = await apiAs(server, 'caizheng');
		const gv = g.data.goal_version;
		g = await u0.post(`/api/goal-versions/${gv.id}/transitions`, { action: 'submit', version: gv.version });
		g = await d0.post(`/api/goal-versions/${gv.id}/transitions`, { action: 'dept_approve', version: g.data.goal_version.version });
		g = await fin.post(`/api/goal-versions/${gv.id}/transitions`, { action: 'finance_approve', version: g.data.goal_version.version });
		check(g.status === 200 && g.data.goal_version.status === 'finance_approved', 'setup: the goals were approved');
		await gotoHash(page, '#/projects/' + fresh.id, 'project');
		await page.getByRole('button', { name: '开始自评' }).click();
		await page.waitForFunction(() => /^#\/evals\/\d+$/.test(location.hash));
		const ev = (await u0.get('/api/projects/' + fresh.id)).data.eval;
		check(ev && (await hash(page)) === '#/evals/' + ev.id, '开始自评 creates the self-evaluation and opens it');
		await waitPage(page, 'eval');
	}

	/* the history shows the review step with its comment */
	{
		const page = unit;
		await gotoHash(page, '#/projects/' + retP.id, 'project');
		const hist = await text(page, '.history');
		check(hist.includes('主管部门退回') && hist.includes('意见：请补充偏差原因分析'), 'the history shows the return with its reason');
		check(hist.includes('自评表：提交'), 'and the submission');
	}

	/* another unit's project: 项目不存在, no data */
	{
		const page = unit;
		const other = await apiAs(server, 'unit0201');
		const theirs = (await other.get('/api/projects?per_page=1')).data.items[0];
		await gotoHash(page, '#/projects/' + theirs.id, 'project');
		check(await page.locator('#app h1').innerText() === '项目不存在', "another unit's project says 项目不存在");
		const body = await page.locator('#app').innerText();
		check(!body.includes(theirs.name) && !body.includes(theirs.code) && await page.locator('.money-figures').count() === 0,
			'and shows none of its data');
		await shot(page, 'project-not-found');
	}

	/* finance: adjustment and budget; errors next to the field */
	{
		const page = pages.caizheng;
		const fapi = await apiAs(server, 'caizheng');
		await gotoHash(page, '#/projects/' + mine.id, 'project');
		await page.getByRole('tab', { name: '预算调整' }).click();
		await page.locator('#adj-amount').fill('0');
		await page.locator('#adj-reason').fill('');
		await page.getByRole('button', { name: '录入调整' }).click();
		await page.locator('#tp-adj .field-note').first().waitFor();
		check(await page.locator('#adj-amount').getAttribute('aria-invalid') === 'true', 'an adjustment of 0 marks the amount');
		check(await page.locator('#adj-reason').getAttribute('aria-invalid') === 'true', 'a missing 调整原因 is marked');
		await page.locator('#adj-dir').selectOption('-');
		await page.locator('#adj-amount').fill('99999999');
		await page.locator('#adj-reason').fill('调减过多');
		await page.getByRole('button', { name: '录入调整' }).click();
		await page.waitForFunction(() => document.querySelector('#tp-adj .field-note') &&
			document.querySelector('#tp-adj .field-note').innerText.includes('为负'));
		check(true, "the server's 422 (annual budget would be negative) appears next to the amount");
		await page.locator('#adj-amount').fill('10.5');
		await page.locator('#adj-reason').fill('政府采购结余调减');
		await page.locator('#adj-reason').press('Enter');
		await page.waitForFunction(() => document.querySelector('#tp-adj table') &&
			document.querySelector('#tp-adj table').innerText.includes('政府采购结余调减'));
		let f = (await fapi.get('/api/projects/' + mine.id + '/funds')).data;
		check(f.adjustments.count === 1 && f.adjustments_fen === -10500000, 'the cut of 10.5 万元 was recorded');
		check((await text(page, '.money-figures')).includes('-10.5'), 'the figures show the adjustment -10.5');

		await page.getByRole('tab', { name: '年初预算' }).click();
		await page.locator('#budget-amount').fill('-5');
		await page.getByRole('button', { name: '保存年初预算' }).click();
		await page.locator('#tp-budget .field-note').waitFor();
		check((await text(page, '#tp-budget .field-note')).includes('不能为负数'), 'a negative budget is refused next to the field');
		await page.locator('#budget-amount').fill('300');
		await page.getByRole('button', { name: '保存年初预算' }).click();
		await page.waitForFunction(() => document.querySelector('.money-figures').innerText.includes('300'));
		f = (await fapi.get('/api/projects/' + mine.id + '/funds')).data;
		check(f.initial_fen === 300000000 && f.annual_fen === 289500000, 'the budget is 300 万元, the annual 289.5 万元');
		check((await text(page, '.money-figures')).includes('289.5'), 'the page shows 全年预算数 289.5');
		await shot(page, 'project-finance');

		/* the new project has no budget: an adjustment is refused by the server */
		const fresh = (await fapi.get('/api/projects?q=UI-2025-001')).data.items[0];
		await gotoHash(page, '#/projects/' + fresh.id, 'project');
		check((await text(page, '#app')).includes('尚未设置年初预算数'), 'a project without a budget says so');
		await page.getByRole('tab', { name: '预算调整' }).click();
		await page.locator('#adj-amount').fill('5');
		await page.locator('#adj-reason').fill('追加');
		await page.getByRole('button', { name: '录入调整' }).click();
		await page.locator('#tp-adj .field-note').waitFor();
		check(await page.locator('#adj-amount').getAttribute('aria-invalid') === 'true',
			'without an approved budget the adjustment is refused at the amount');
	}

	/* ---- print views ---- */
	{
		const page = unit;
		const evalId = mine.eval.id;
		await gotoHash(page, '#/projects/' + mine.id, 'project');
		await page.getByRole('link', { name: '打印自评表' }).click();
		await waitPage(page, 'eval-print');
		const sheet = await text(page, '.sheet');
		for (const w of ['项目支出绩效自评表', '项目名称', '主管部门', '实施单位', '年初预算数', '全年预算数', '全年执行数',
			'执行率', '年度总体目标', '预期目标', '实际完成情况', '一级指标', '二级指标', '三级指标', '年度指标值',
			'实际完成值', '分值', '得分', '偏差原因分析及改进措施', '总分', '评价等级'])
			check(sheet.includes(w), 'the 自评表 shows ' + w);
		const ev = (await uapi.get('/api/evals/' + evalId)).data;
		check(sheet.includes(ev.title) && sheet.includes(ev.unit), 'the sheet carries the project name and the unit');
		check(await page.locator('table.eval-form td[rowspan]').count() > 0, 'equal 一级/二级指标 cells are merged');
		const totalRow = await page.locator('table.eval-form tr.total').first().innerText();
		check(totalRow.includes(ev.total.computed), `总分 ${ev.total.computed} is printed`);
		await page.evaluate(() => { window.__printed = 0; window.print = () => { window.__printed++; }; });
		await page.getByRole('button', { name: '打印' }).click();
		check(await page.evaluate(() => window.__printed) === 1, '打印 calls window.print()');
		await shot(page, 'print-eval');
		await page.emulateMedia({ media: 'print' });
		check(await page.locator('.topbar').isHidden() && await page.locator('.print-toolbar').isHidden(),
			'in print the header and the toolbar are hidden');
		await shot(page, 'print-eval-media-print');
		await page.emulateMedia({ media: 'screen' });

		await gotoHash(page, '#/projects/' + mine.id + '/print', 'project-print');
		const p = await text(page, '.sheet');
		check(p.includes('项目情况表') && p.includes(mine.name) && p.includes('1,234.56'), 'the project print shows the project and its payment');
		await shot(page, 'print-project');
	}

	/* ---- an expired session: to the login page, and back after signing in ---- */
	{
		const page = pages.dept01;
		await page.context().clearCookies();
		await page.evaluate(() => { location.hash = '#/projects?year=2024'; });
		await waitPage(page, 'login');
		check(decodeURIComponent(await hash(page)) === '#/login?next=#/projects?year=2024', 'a lost session leads to #/login?next=…');
		check(await page.locator('#nav').isHidden(), 'the navigation is hidden then');
		await page.getByLabel('用户名').fill('dept01');
		await page.getByLabel('密码').fill('jixiao2026');
		await page.getByRole('button', { name: '登录' }).click();
		await waitPage(page, 'projects');
		check(await hash(page) === '#/projects?year=2024', 'after signing in again the user is back where they were');
	}

	/* ---- unknown page, sign-out ---- */
	{
		const page = unit;
		await gotoHash(page, '#/no/such/page', 'notfound');
		check(await page.locator('#app h1').innerText() === '页面不存在', 'an unknown hash says 页面不存在');
		await gotoHash(page, '#/review', 'review');
		check(await page.locator('#app h1').innerText() === '没有权限访问此页面', 'a unit filer has no 审核 page');
		await page.getByRole('button', { name: '退出' }).click();
		await waitPage(page, 'login');
		check(await page.locator('#nav').isHidden(), 'after 退出 the navigation is gone');
		const r = await page.evaluate(async () => (await fetch('/api/session')).status);
		check(r === 401, 'after 退出 the session is over');
	}
} catch (err) {
	check(false, 'the test ran to the end: ' + (err && err.stack || err));
} finally {
	await browser.close();
	await server.stop();
}
done();
