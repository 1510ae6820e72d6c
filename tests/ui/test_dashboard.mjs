/*
 * test_dashboard.mjs - the oversight board (#/dashboard) in a real browser:
 * 200 demo projects, the finance bureau's overview (every chart drawn with
 * data, the key figures equal to GET /api/dashboard, the year that has
 * data chosen by default), drill-down by clicking a department bar and by
 * the department selector, a grade slice opening the filtered project list,
 * a project link opening the project, a year without data (暂无数据, no
 * errors), the data tables, resizing, and a department reviewer who sees
 * only their own department. Screenshots at 1366×768.
 *
 *   JIXIAO=build/debug/jixiao node tests/ui/test_dashboard.mjs
 */
import { startServer, launch, login, shot, check, done, waitPage, apiAs } from './harness.mjs';

const CHARTS = ['grade', 'exec', 'score', 'status', 'findings'];

/* Every chart container: its canvas size and what its ECharts instance holds. */
function charts(page) {
	return page.evaluate(() => {
		const out = {};
		for (const el of document.querySelectorAll('#app [data-chart]')) {
			const inst = window.echarts ? window.echarts.getInstanceByDom(el) : null;
			const cv = el.querySelector('canvas, svg');
			const r = cv ? cv.getBoundingClientRect() : { width: 0, height: 0 };
			const opt = inst ? inst.getOption() : null;
			const points = opt ? opt.series.reduce((n, s) =>
				n + (s.data || []).filter((d) => d !== '-' && d !== null && d !== undefined).length, 0) : 0;
			const y = opt && opt.yAxis && opt.yAxis[0] ? opt.yAxis[0].data || null : null;
			out[el.dataset.chart] = {
				inst: !!inst, w: Math.round(r.width), h: Math.round(r.height), points,
				empty: el.classList.contains('is-empty'), text: el.textContent.trim(),
				series: opt ? opt.series.map((s) => ({ name: s.name, data: s.data, markLine: s.markLine || null })) : [],
				yCats: y,
				title: opt && opt.title && opt.title[0] ? opt.title[0].text || '' : '',
				tableFirst: [...el.closest('.dash-card').querySelectorAll('.dash-table tbody tr td:first-child')]
					.map((td) => td.textContent.trim()),
			};
		}
		return out;
	});
}

/* GET /api/dashboard with the page's session cookie. */
function apiDashboard(page, query) {
	return page.evaluate(async (q) => {
		const r = await fetch('/api/dashboard' + q, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
		return { status: r.status, body: await r.json() };
	}, query);
}

function kpiTexts(page) {
	return page.evaluate(() => {
		const o = {};
		for (const li of document.querySelectorAll('#app [data-kpi]'))
			o[li.dataset.kpi] = li.querySelector('.kpi-value').textContent.trim();
		return o;
	});
}

function expectedKpis(t) {
	const st = (k) => String((t.by_status.find((s) => s.key === k) || { count: 0 }).count);
	return {
		projects: String(t.projects),
		evals: String(t.evals),
		finance_approved: st('finance_approved'),
		error_projects: String(t.error_projects.count),
		missing_reasons: String(t.missing_deviation_reasons),
		execution_rate: t.execution_rate === null ? '—' : t.execution_rate,
	};
}

async function checkKpis(page, t, what) {
	const got = await kpiTexts(page);
	const want = expectedKpis(t);
	for (const k of Object.keys(want))
		check(got[k] === want[k], `${what}: KPI ${k} shows ${got[k]}, the API says ${want[k]}`);
}

function checkCharts(c, what) {
	for (const k of CHARTS) {
		const x = c[k];
		check(!!x, `${what}: chart ${k} is there`);
		if (!x) continue;
		check(x.inst && x.w > 100 && x.h > 100, `${what}: chart ${k} drawn on a canvas (${x.w}×${x.h}, instance ${x.inst})`);
		check(x.points > 0, `${what}: chart ${k} has series data (${x.points} points)`);
	}
}

/* The pixel centre of item idx of series si of a chart, in page coordinates. */
async function itemCentre(page, key, si, idx) {
	await page.locator(`#app [data-chart="${key}"]`).scrollIntoViewIfNeeded();
	return page.evaluate(({ key, si, idx }) => {
		const el = document.querySelector(`#app [data-chart="${key}"]`);
		const inst = window.echarts.getInstanceByDom(el);
		const lay = inst.getModel().getSeriesByIndex(si).getData().getItemLayout(idx);
		const r = el.getBoundingClientRect();
		if (lay.r !== undefined) { /* a pie slice */
			const a = (lay.startAngle + lay.endAngle) / 2;
			const rr = (lay.r + (lay.r0 || 0)) / 2;
			return { x: r.left + lay.cx + rr * Math.cos(a), y: r.top + lay.cy + rr * Math.sin(a) };
		}
		return { x: r.left + lay.x + lay.width / 2, y: r.top + lay.y + lay.height / 2 };
	}, { key, si, idx });
}

async function waitHash(page, re) {
	await page.waitForFunction((src) => new RegExp(src).test(location.hash), re.source, { timeout: 10000 });
}

/* Move some self-evaluations along the workflow so that every status has
 * projects: unit0101 submits 10, dept01 passes 7 and returns 1, the finance
 * bureau passes 4; unit0201 submits 3. */
async function workflow(server) {
	const step = async (who, id, action, comment) => {
		const ev = await who.get('/api/evals/' + id);
		const r = await who.post(`/api/evals/${id}/transitions`,
			{ action, version: ev.data.version, ...(comment ? { comment } : {}) });
		if (r.status !== 200) throw new Error(`${action} of eval ${id}: ${r.status} ${JSON.stringify(r.data)}`);
	};
	const u1 = await apiAs(server, 'unit0101');
	const u2 = await apiAs(server, 'unit0201');
	const d1 = await apiAs(server, 'dept01');
	const fin = await apiAs(server, 'caizheng');
	const evals = async (u, n) => (await u.get('/api/projects?per_page=' + n + '&status=draft')).data.items.map((p) => p.eval.id);
	const a = await evals(u1, 10);
	const b = await evals(u2, 3);
	for (const id of a) await step(u1, id, 'submit');
	for (const id of b) await step(u2, id, 'submit');
	for (const id of a.slice(0, 7)) await step(d1, id, 'dept_approve');
	await step(d1, a[7], 'dept_return', '请补充偏差原因分析');
	for (const id of a.slice(0, 4)) await step(fin, id, 'finance_approve');
}

const server = await startServer({ projects: 200 });
const { browser, newPage } = await launch();
try {
	await workflow(server);
	/* ---- the finance bureau's overview ---- */
	const page = await newPage(server);
	await page.emulateMedia({ reducedMotion: 'reduce' });
	await login(page, server, 'caizheng');
	await page.click('#nav a[href="#/dashboard"]');
	await waitPage(page, 'dashboard');

	const now = await apiDashboard(page, '');
	check(now.status === 200, 'GET /api/dashboard answers 200');
	const latest = await page.evaluate(async () =>
		(await (await fetch('/api/projects?sort=-year&per_page=1')).json()).items[0].year);
	const wantYear = now.body.total.projects > 0 ? now.body.year : latest;
	const yearSel = await page.locator('#dash-year').inputValue();
	check(yearSel === String(wantYear), `default year is the one with data (${yearSel}, want ${wantYear})`);

	const all = await apiDashboard(page, `?year=${wantYear}`);
	const T = all.body.total;
	check(T.projects >= 200, `the year has the demo projects (${T.projects})`);
	check(T.by_status.filter((x) => x.count > 0).length >= 5, 'the projects are in several workflow states');
	await checkKpis(page, T, 'overview');

	let c = await charts(page);
	checkCharts(c, 'overview');
	const withProjects = all.body.departments.filter((r) => r.projects > 0 && r.execution_rate !== null);
	check(c.exec && JSON.stringify(c.exec.yCats) === JSON.stringify(withProjects.map((r) => r.dept.name)),
		'execution chart: one bar per department with projects, in order');
	const ml = c.exec && c.exec.series[0].markLine;
	check(ml && ml.data && Number(ml.data[0].xAxis) === Number(all.body.time_progress),
		'execution chart: the time-progress line at ' + all.body.time_progress);
	const lagging = withProjects.filter((r) => r.gap && r.gap.startsWith('-')).length;
	const lagBars = c.exec ? c.exec.series[1].data.filter((d) => d !== '-').length : -1;
	check(lagBars === lagging, `lagging departments highlighted (${lagBars} red bars, ${lagging} lagging)`);
	check(c.findings && c.findings.yCats.length === T.top_findings.length &&
		c.findings.yCats.every((s) => /[\u4e00-\u9fa5]/.test(s) && !/^[A-Z_]+$/.test(s)),
	'finding codes shown with Chinese names: ' + (c.findings ? c.findings.yCats.join('、') : ''));
	check(c.grade && c.grade.series[0].data.reduce((n, d) => n + d.value, 0) === T.projects,
		'grade chart adds up to the number of projects');
	check(c.score && c.score.series[0].data.map((d) => d.value).join() === T.scores.map((s) => s.count).join(),
		'score chart holds the API buckets');

	const errRows = await page.locator('#app .dash-card-errors tbody tr').count();
	check(errRows === Math.min(20, T.error_projects.count) && T.error_projects.count > 0,
		`error project list: ${errRows} rows of ${T.error_projects.count}`);
	const firstHref = await page.locator('#app .dash-card-errors tbody tr a').first().getAttribute('href');
	check(firstHref === '#/projects/' + T.error_projects.items[0].id, 'error project list links to the project: ' + firstHref);

	/* the data tables: hidden until asked for */
	const btn = page.locator('#app .dash-card-exec .dash-table-btn');
	check(await page.locator('#app .dash-card-exec .dash-table').isHidden(), 'data table hidden at first');
	await btn.click();
	check(await page.locator('#app .dash-card-exec .dash-table').isVisible(), '数据表 shows the table');
	check(await btn.getAttribute('aria-expanded') === 'true', '数据表 button aria-expanded');
	const tblRows = await page.locator('#app .dash-card-exec .dash-table tbody tr').count();
	check(tblRows === all.body.departments.length + 1, `department table: a row per department and 合计 (${tblRows})`);
	await btn.click();

	await page.evaluate(() => window.scrollTo(0, 0));
	await shot(page, 'dashboard-finance');

	/* resizing the window resizes the charts */
	const w0 = c.exec.w;
	await page.setViewportSize({ width: 1100, height: 768 });
	await page.waitForFunction((w) => {
		const el = document.querySelector('#app [data-chart="exec"] canvas');
		return el && Math.abs(el.getBoundingClientRect().width - w) > 20;
	}, w0, { timeout: 5000 }).catch(() => {});
	c = await charts(page);
	check(c.exec && c.exec.w < w0, `charts follow the window size (${w0} → ${c.exec && c.exec.w})`);
	await page.setViewportSize({ width: 1366, height: 768 });

	/* tooltips (drawn on the canvas: the CSP allows no inline styles) */
	for (const [k, si] of [['exec', 1], ['status', 0], ['findings', 0], ['score', 0]]) {
		const p = await itemCentre(page, k, si, 0);
		await page.mouse.move(p.x, p.y);
		await page.waitForTimeout(150);
	}

	/* a grade slice opens the project list of that grade */
	const gi = c.grade.series[0].data.findIndex((d) => d.key === '优');
	const gp = await itemCentre(page, 'grade', 0, gi);
	await page.mouse.move(gp.x, gp.y);
	await page.waitForTimeout(150);
	await page.mouse.click(gp.x, gp.y);
	await waitHash(page, /^#\/projects\?/);
	const gh = decodeURIComponent(await page.evaluate(() => location.hash));
	check(gh.includes('grade=优') && gh.includes('year=' + wantYear), 'grade click opens ' + gh);
	await waitPage(page, 'projects');
	await page.goBack();
	await waitPage(page, 'dashboard');

	/* clicking a department bar drills down */
	c = await charts(page);
	const d0 = withProjects[0];
	const si = c.exec.series[0].data[0] === '-' ? 1 : 0;
	const bp = await itemCentre(page, 'exec', si, 0);
	await page.mouse.click(bp.x, bp.y);
	await waitHash(page, new RegExp(`dept_id=${d0.dept.id}(&|$)`));
	await waitPage(page, 'dashboard');
	const one = await apiDashboard(page, `?year=${wantYear}&dept_id=${d0.dept.id}`);
	await checkKpis(page, one.body.total, 'drill-down');
	c = await charts(page);
	checkCharts(c, 'drill-down');
	check(c.exec && c.exec.tableFirst.join() === d0.dept.name && c.exec.title.startsWith(d0.dept.name),
		'drill-down: the one department ' + (c.exec && c.exec.tableFirst));
	check(c.exec && c.exec.series[0].data[0].text === one.body.total.execution_rate &&
		c.exec.series[0].data[1].text === one.body.time_progress,
	'drill-down: execution rate against time progress ' + one.body.total.execution_rate + ' / ' + one.body.time_progress);
	check((await page.locator('#dash-scope').textContent()).includes(d0.dept.name), 'drill-down: scope names the department');
	check(await page.locator('#dash-dept').inputValue() === String(d0.dept.id), 'drill-down: the selector shows the department');
	await page.evaluate(() => window.scrollTo(0, 0));
	await shot(page, 'dashboard-department');

	/* a project link opens the project */
	const pid = one.body.total.error_projects.items[0].id;
	await page.locator(`#app .dash-card-errors a[href="#/projects/${pid}"]`).first().click();
	await waitHash(page, new RegExp(`^#/projects/${pid}$`));
	await waitPage(page, 'project');
	check(true, 'project link opens #/projects/' + pid);
	await page.goBack();
	await waitPage(page, 'dashboard');

	/* the department selector */
	const d1 = withProjects[1];
	await page.selectOption('#dash-dept', String(d1.dept.id));
	await waitHash(page, new RegExp(`dept_id=${d1.dept.id}(&|$)`));
	await waitPage(page, 'dashboard');
	await page.waitForSelector('#app [data-kpi]');
	const two = await apiDashboard(page, `?year=${wantYear}&dept_id=${d1.dept.id}`);
	await checkKpis(page, two.body.total, 'department selector');
	await page.click('#app .dash-back');
	await waitHash(page, /^#\/dashboard\?year=\d+$/);
	await waitPage(page, 'dashboard');
	check(await page.locator('#dash-dept').inputValue() === '', 'back to all departments');

	/* a year without data: 暂无数据, no errors */
	const years = await page.locator('#dash-year option').evaluateAll((os) => os.map((o) => o.value));
	let emptyYear = null;
	for (const y of years) {
		const r = await apiDashboard(page, `?year=${y}`);
		if (r.body.total.projects === 0) { emptyYear = y; break; }
	}
	check(emptyYear !== null, 'the year list offers a year without projects: ' + years.join(','));
	if (emptyYear) {
		await page.selectOption('#dash-year', emptyYear);
		await waitHash(page, new RegExp(`year=${emptyYear}`));
		await waitPage(page, 'dashboard');
		c = await charts(page);
		for (const k of CHARTS)
			check(c[k] && c[k].empty && !c[k].inst && c[k].text.includes('暂无数据'), `empty year: chart ${k} says 暂无数据`);
		const z = await kpiTexts(page);
		check(z.projects === '0', 'empty year: 0 projects');
		check(await page.locator('#app .dash-notice').isVisible(), 'empty year: a notice says so');
	}
	await page.close();

	/* ---- a department reviewer sees only their department ---- */
	const dp = await newPage(server);
	await dp.emulateMedia({ reducedMotion: 'reduce' });
	await login(dp, server, 'dept01');
	await dp.click('#nav a[href="#/dashboard"]');
	await waitPage(dp, 'dashboard');
	const mine = await apiDashboard(dp, `?year=${wantYear}`);
	check(mine.body.departments.length === 1, 'dept01: the API answers one department');
	await checkKpis(dp, mine.body.total, 'dept01');
	check(mine.body.total.projects < T.projects, `dept01 sees fewer projects (${mine.body.total.projects} of ${T.projects})`);
	c = await charts(dp);
	checkCharts(c, 'dept01');
	check(c.exec && c.exec.tableFirst.join() === mine.body.departments[0].dept.name &&
		c.exec.title.startsWith(mine.body.departments[0].dept.name),
	'dept01: only their department: ' + (c.exec && c.exec.tableFirst));
	check(c.status && c.status.tableFirst.join() === mine.body.departments[0].dept.name, 'dept01: status of their department only');
	check(await dp.locator('#dash-dept').count() === 0, 'dept01: no department selector');
	check((await dp.locator('#dash-scope').textContent()).includes(mine.body.departments[0].dept.name),
		'dept01: scope names their department');
	await shot(dp, 'dashboard-dept01');
	/* another department by URL: refused, said so */
	await dp.evaluate((y) => { location.hash = `#/dashboard?year=${y}&dept_id=${6}`; }, wantYear);
	await waitHash(dp, /dept_id=6/);
	await waitPage(dp, 'dashboard');
	const err = await dp.locator('#app .dash-error').textContent().catch(() => '');
	check(/不在您的查看范围内/.test(err), 'dept01: another department by URL is refused: ' + err);
	await dp.close();
} catch (e) {
	check(false, 'test ran to the end: ' + (e && e.stack || e));
} finally {
	await browser.close();
	await server.stop();
	done();
}
