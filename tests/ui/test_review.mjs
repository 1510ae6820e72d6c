/*
 * test_review.mjs - the review pages (#/review) in a real browser.
 *
 * Set-up through the API: a project with a started self-evaluation (as in
 * test_eval.mjs) whose values unit0101 saves and submits, and a second
 * project whose approved goals unit0101 adjusts (a changed target and
 * weight, a reason) and submits. Then in the browser:
 *   dept01 opens #/review, sees both items and the self-evaluation's
 *   findings, returns it with a comment (required: an empty one is refused);
 *   unit0101 sees the return comment on the self-evaluation, gives the
 *   missing reason, saves and resubmits; dept01 approves (compare: no copy
 *   of the previous submission for a department, said so); caizheng sees
 *   the previous submission against this one and approves; the state is
 *   财政已审核. dept01 reviews the adjusted goal version: the compare view
 *   shows the changed target and weight against the approved version.
 */
import {
	startServer, launch, login, shot, check, done, waitPage,
} from './harness.mjs';
import { setupEval } from './test_eval.mjs';

function must(res, what, status = [200, 201]) {
	if (!status.includes(res.status)) throw new Error(`${what}: HTTP ${res.status} ${JSON.stringify(res.data)}`);
	return res.data;
}

async function dialogButton(page, name) {
	const b = page.locator('dialog[open]').getByRole('button', { name, exact: true });
	await b.waitFor({ timeout: 5000 });
	return b;
}

/* go to a hash of the UI; reload when the page is already there */
async function visit(page, server, hash, name) {
	const target = server.url + '/' + hash;
	if (page.url() === target) await page.reload();
	else await page.goto(target);
	await waitPage(page, name);
}

async function top(page) {
	await page.evaluate(() => window.scrollTo(0, 0));
}

async function main() {
	const server = await startServer({ projects: 12 });
	const { browser, newPage } = await launch();
	try {
		/* a submitted self-evaluation with one missing reason */
		const s = await setupEval(server, 'UI-REV-001');
		const { unit, ev } = s;
		let e = must(await unit.patch(`/api/evals/${ev.id}`, {
			version: ev.version,
			lines: [
				{ position: 0, actual: '100人次' },
				{ position: 1, actual: '96%' },
				{ position: 2, actual: '明显提升' },
				{ position: 3, actual: '82%' },
			],
			goals: [{ position: 0, achieved: '全年培训100人次' }],
		}), 'save values');
		check(e.counts.errors >= 1, 'set-up: the self-evaluation has an error finding');
		e = must(await unit.post(`/api/evals/${ev.id}/transitions`, { action: 'submit', version: e.version }), 'submit eval');

		/* an approved goal version, then an adjusted one with a changed target and weight */
		const g = await setupEval(server, 'UI-REV-002');
		const cur = must(await unit.get(`/api/projects/${g.project.id}/goals`), 'goals');
		const inds = cur.goal_version.indicators.map((x) => ({
			level1: x.level1, level2: x.level2, name: x.name, target: x.target, unit: x.unit, nature: x.nature, weight: x.weight,
		}));
		inds[0].target = '≥120人次';
		inds[1].weight = '15';
		inds.splice(2, 0, { level1: '产出指标', level2: '时效指标', name: '培训按期完成率', target: '≥95%', weight: '10' });
		const adj = must(await unit.put(`/api/projects/${g.project.id}/goals`, {
			version: cur.goal_version.version, reason: '预算追加后扩大培训规模',
			goals: [{ kind: 'annual', text: '全年培训120人次，合格率不低于90%' }], indicators: inds,
		}), 'adjust goals');
		const adjV = adj.goal_version;
		check(adjV.stage === 'adjusted' && adjV.number === 2, 'set-up: an adjusted version 2');
		must(await unit.post(`/api/goal-versions/${adjV.id}/transitions`, { action: 'submit', version: adjV.version }), 'submit adjusted');

		/* dept01: the queue */
		const dp = await newPage(server);
		await login(dp, server, 'dept01');
		await dp.locator('#nav a[href="#/review"]').click();
		await waitPage(dp, 'review');
		const evRow = dp.locator('tr', { has: dp.locator(`a[href="#/review?type=self_eval&id=${ev.id}"]`) }).first();
		const gvRow = dp.locator('tr', { has: dp.locator(`a[href="#/review?type=goal_version&id=${adjV.id}"]`) }).first();
		check(await evRow.count() === 1, 'the queue lists the submitted self-evaluation');
		check(await gvRow.count() === 1, 'the queue lists the submitted goal version');
		check((await evRow.textContent()).includes('错误'), 'the queue shows the self-evaluation\'s findings');
		check((await evRow.textContent()).includes('自评表') && (await gvRow.textContent()).includes('绩效目标'), 'the queue says what each item is');
		await shot(dp, 'review-queue');

		/* dept01 opens the self-evaluation and returns it */
		await evRow.locator('a.rv-open').click();
		await waitPage(dp, 'review');
		check((await dp.locator('h1').textContent()).includes('审核'), 'the review view opens');
		const note = dp.locator('tr.ev-detail[data-detail="3"] li.ev-f[data-code="MISSING_DEVIATION_REASON"]');
		check(await note.count() === 1 && await note.isVisible(), 'the finding is shown on its row');
		check(await dp.locator('.ev-input').count() === 0, 'the reviewer sees the table read-only');
		check((await dp.locator('.rv-compare').first().textContent()).includes('第一次提交'), 'a first submission has nothing to compare with');
		check((await dp.locator('.rv-compare').nth(1).textContent()).includes('全部一致'), 'the lines match the approved goals');
		await top(dp);
		await shot(dp, 'review-eval');
		await dp.locator('button.ev-action[data-action="dept_return"]').click();
		let ok = await dialogButton(dp, '退回');
		await ok.click();
		check(await dp.locator('dialog[open] .field-note').count() === 1, 'a return without a comment is refused in the dialog');
		await dp.locator('dialog[open] textarea').fill('学员满意度未达到目标，请补充偏差原因分析及改进措施');
		await dp.locator('dialog[open] textarea').press('Enter');
		await dp.locator('.toast-item', { hasText: '已退回' }).waitFor({ timeout: 5000 });
		await waitPage(dp, 'review');
		check(dp.url().endsWith('#/review'), 'after the return the reviewer is back at the queue');
		check(await dp.locator(`a[href="#/review?type=self_eval&id=${ev.id}"]`).count() === 0, 'the returned item left the queue');

		/* unit0101 sees the comment, fixes, resubmits */
		const up = await newPage(server);
		await login(up, server, 'unit0101');
		await up.goto(`${server.url}/#/evals/${ev.id}`);
		await waitPage(up, 'eval');
		const banner = up.locator('.ev-return');
		check(await banner.count() === 1 && (await banner.textContent()).includes('学员满意度未达到目标'), 'the unit sees the return comment at the top');
		check((await banner.textContent()).includes('dept01'), 'and who returned it');
		check(await up.locator('.ev-bar .badge.st-returned').count() === 1, 'the state is 已退回');
		check(await up.locator('.ev-history tr.ev-hist-return').count() === 1, 'the return is highlighted in the history');
		await up.locator('[data-field="lines[3].reason"]').fill('问卷显示部分学员对培训时间安排不满意，明年改为周末班');
		await up.waitForFunction(() => !document.querySelector('tr.ev-detail[data-detail="3"] li.ev-f[data-code="MISSING_DEVIATION_REASON"]'), null, { timeout: 5000 });
		check(true, 'the reason makes the finding go');
		await top(up);
		await shot(up, 'eval-returned');
		await up.locator('#ev-save').click();
		await up.locator('.toast-item', { hasText: '已保存' }).waitFor({ timeout: 5000 });
		await up.locator('button.ev-action[data-action="submit"]').click();
		ok = await dialogButton(up, '提交');
		await ok.click();
		await up.locator('.ev-bar .badge.st-submitted').waitFor({ timeout: 5000 });
		check(true, 'the unit resubmits');

		/* dept01 approves */
		await visit(dp, server, '#/review', 'review');
		await dp.locator(`a.rv-open[href="#/review?type=self_eval&id=${ev.id}"]`).click();
		await waitPage(dp, 'review');
		check((await dp.locator('.rv-compare').first().textContent()).includes('无法逐项列出'), 'a department is told why no previous copy can be shown');
		check(await dp.locator('.ev-history td', { hasText: '学员满意度未达到目标' }).count() === 1, 'the history shows the return comment');
		await dp.locator('button.ev-action[data-action="dept_approve"]').click();
		ok = await dialogButton(dp, '审核通过');
		await ok.click();
		await dp.locator('.toast-item', { hasText: '审核通过' }).waitFor({ timeout: 5000 });
		await waitPage(dp, 'review');
		check(dp.url().endsWith('#/review'), 'after approving the reviewer is back at the queue');

		/* caizheng: the previous submission against this one, approve */
		const fp = await newPage(server);
		await login(fp, server, 'caizheng');
		await fp.goto(`${server.url}/#/review`);
		await waitPage(fp, 'review');
		const finLink = fp.locator(`a.rv-open[href="#/review?type=self_eval&id=${ev.id}"]`);
		check(await finLink.count() === 1, 'the finance bureau has it in its queue');
		await finLink.click();
		await waitPage(fp, 'review');
		const cmp = fp.locator('.rv-compare').first();
		/* the comparison is rebuilt from the audit log after the page
		 * settles: wait for it (slow under ASan) before counting */
		await cmp.locator('tr[data-kind="changed"]').first().waitFor({ timeout: 15000 }).catch(() => {});
		check((await cmp.locator('tr[data-kind="changed"]').count()) === 1, 'the previous submission is compared: one line changed');
		check((await cmp.locator('tr[data-kind="changed"] ins').first().textContent()).includes('周末班'), 'the new reason is shown against the old');
		await top(fp);
		await shot(fp, 'review-eval-compare');
		await fp.locator('button.ev-action[data-action="finance_approve"]').click();
		ok = await dialogButton(fp, '审核通过');
		await fp.locator('dialog[open] textarea').fill('同意');
		await ok.click();
		await fp.locator('.toast-item', { hasText: '财政已审核' }).waitFor({ timeout: 5000 });
		const final = must(await unit.get(`/api/evals/${ev.id}`), 'final');
		check(final.status.key === 'finance_approved' && final.status.label === '财政已审核', 'the state is 财政已审核');
		await visit(up, server, `#/evals/${ev.id}`, 'eval');
		check((await up.locator('.ev-bar .badge').first().textContent()) === '财政已审核', 'the unit sees 财政已审核');
		check(await up.locator('.ev-history tbody tr').count() === 5, 'the history has all five steps');

		/* dept01 reviews the adjusted goal version: compare with the approved one */
		await visit(dp, server, '#/review', 'review');
		await dp.locator(`a.rv-open[href="#/review?type=goal_version&id=${adjV.id}"]`).click();
		await waitPage(dp, 'review');
		const gcmp = dp.locator('.rv-compare');
		check((await gcmp.textContent()).includes('第1版（申报）') && (await gcmp.textContent()).includes('第2版（调整）'), 'the compare names both versions');
		const tgt = gcmp.locator('tr[data-kind="changed"] td.rv-chg[data-col="target"]');
		check(await tgt.count() === 1, 'one changed target is highlighted');
		check((await tgt.locator('del').textContent()) === '≥100人次' && (await tgt.locator('ins').textContent()) === '≥120人次', 'the target ≥100人次 → ≥120人次');
		check(await gcmp.locator('tr[data-kind="changed"] td.rv-chg[data-col="weight"]').count() === 1, 'the changed weight is highlighted');
		check(await gcmp.locator('tr[data-kind="added"]').count() === 1, 'the added indicator is marked');
		check((await dp.locator('.ev-head').textContent()).includes('预算追加后扩大培训规模'), 'the reason of the adjustment is shown');
		check(await dp.locator('.ev-summary li.ev-f').count() >= 1, 'the weight sums are checked (产出指标 55, not 50)');
		await dp.locator('.rv-compare-tools input[type="checkbox"]').first().check();
		check(await gcmp.locator('tr[data-kind="same"]').first().isHidden(), '只看有变化的行 hides the unchanged rows');
		await dp.locator('.rv-compare-tools input[type="checkbox"]').first().uncheck();
		await top(dp);
		await shot(dp, 'review-compare');
		await dp.locator('button.ev-action[data-action="dept_approve"]').click();
		ok = await dialogButton(dp, '审核通过');
		await ok.click();
		await dp.locator('.toast-item', { hasText: '审核通过' }).waitFor({ timeout: 5000 });
		const gv2 = must(await unit.get(`/api/goal-versions/${adjV.id}`), 'gv');
		check(gv2.goal_version.state.key === 'dept_approved', 'the goal version is 主管部门已审核');

		/* a unit user on #/review is not a reviewer */
		await up.goto(`${server.url}/#/review`);
		await waitPage(up);
		check((await up.locator('#app').textContent()).length > 0 && await up.locator('button.ev-action').count() === 0, 'a unit user cannot review');
	} finally {
		await browser.close();
		await server.stop();
	}
	done();
}

main().catch((err) => {
	console.error(err);
	check(false, 'test_review.mjs ran to the end: ' + err.message);
	done();
});
