/*
 * harness.mjs - what every UI test (tests/ui/test_*.mjs) uses: a real
 * `jixiao serve` on a fresh demo database, a headless Chromium (Debian's
 * /usr/bin/chromium through playwright-core) that may reach nothing but that
 * server, sign-in, screenshots and a tiny check/done reporter.
 *
 * A page from newPage() records every request to another host (aborted),
 * every uncaught page error, every console error and every failed load of a
 * UI file; done() turns each of those into a failure. API answers >= 400 are
 * the UI's business (e.g. the 404 of another unit's project) and the
 * browser's "Failed to load resource" console line for them is not counted.
 */
import { spawn, execFile } from 'node:child_process';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const here = path.dirname(fileURLToPath(import.meta.url));
export const ROOT = path.resolve(here, '..', '..');
export const ARTIFACTS = path.join(here, 'artifacts');
export const PASSWORD = 'jixiao2026';

const run = promisify(execFile);
const failures = [];
const pages = [];
let checks = 0;

function binary() {
	const b = process.env.JIXIAO || path.join(ROOT, 'build', 'debug', 'jixiao');
	if (!existsSync(b)) throw new Error(`jixiao binary not found: ${b} (set JIXIAO)`);
	return path.resolve(b);
}

function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = srv.address();
			srv.close(() => resolve(port));
		});
	});
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

export async function startServer({ projects = 40 } = {}) {
	const bin = binary();
	const dir = await mkdtemp(path.join(os.tmpdir(), 'jixiao-ui-'));
	const dbUrl = 'sqlite:' + path.join(dir, 'ui.db');
	await run(bin, ['db', 'demo', '--db', dbUrl, '--projects', String(projects)],
		{ maxBuffer: 16 << 20 });
	let lastErr = null;
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		const log = [];
		const child = spawn(bin, ['serve', '--db', dbUrl, '--listen', `127.0.0.1:${port}`,
			'--web', path.join(ROOT, 'web')], { stdio: ['ignore', 'pipe', 'pipe'] });
		child.stdout.on('data', (d) => log.push(d));
		child.stderr.on('data', (d) => log.push(d));
		let exited = null;
		const exitP = new Promise((resolve) => child.on('exit', (code, sig) => {
			exited = { code, sig };
			resolve(exited);
		}));
		const url = `http://127.0.0.1:${port}`;
		const t0 = Date.now();
		while (exited === null && Date.now() - t0 < 15000) {
			try {
				const r = await fetch(url + '/healthz');
				if (r.ok) break;
			} catch { /* not yet */ }
			await sleep(100);
		}
		if (exited !== null || Date.now() - t0 >= 15000) {
			lastErr = new Error(`jixiao serve did not start on ${url}: ` +
				Buffer.concat(log).toString().slice(-2000));
			if (exited === null) {
				child.kill('SIGKILL');
				await exitP;
			}
			continue;
		}
		return {
			url, port, dbUrl, dir,
			log: () => Buffer.concat(log).toString(),
			async stop() {
				if (exited === null) {
					process.kill(child.pid, 'SIGTERM');
					const t = setTimeout(() => child.kill('SIGKILL'), 10000);
					await exitP;
					clearTimeout(t);
				}
				check(exited.code === 0, `jixiao serve exits 0 on SIGTERM (code ${exited.code}, signal ${exited.sig})`);
				if (failures.length === 0) await rm(dir, { recursive: true, force: true });
				else console.log(`  (server files kept in ${dir})`);
			},
		};
	}
	await rm(dir, { recursive: true, force: true });
	throw lastErr;
}

export async function launch() {
	const { chromium } = await import('playwright-core');
	const browser = await chromium.launch({
		executablePath: process.env.JX_CHROMIUM || '/usr/bin/chromium',
		headless: true,
		args: ['--no-sandbox', '--disable-dev-shm-usage', '--lang=zh-CN', '--no-first-run',
			'--disable-background-networking', '--disable-component-update',
			'--disable-default-apps', '--disable-sync', '--metrics-recording-only'],
	});
	return {
		browser,
		async newPage(server) {
			const context = await browser.newContext({
				viewport: { width: 1366, height: 768 },
				locale: 'zh-CN',
				timezoneId: 'Asia/Shanghai',
			});
			const own = `127.0.0.1:${server.port}`;
			const rec = { outside: [], pageErrors: [], consoleErrors: [], badLoads: [], allow: [] };
			await context.route('**/*', (route) => {
				const u = route.request().url();
				let host = null;
				try {
					const p = new URL(u);
					if (p.protocol === 'data:' || p.protocol === 'blob:') return route.continue();
					host = p.host;
				} catch { /* unparsable: outside */ }
				if (host === own) return route.continue();
				rec.outside.push(u);
				return route.abort('blockedbyclient');
			});
			const page = await context.newPage();
			page.jx = rec;
			page.on('pageerror', (e) => rec.pageErrors.push(String(e && e.stack || e)));
			page.on('console', (m) => {
				if (m.type() !== 'error') return;
				const text = m.text();
				const loc = m.location() && m.location().url || '';
				if (/^Failed to load resource: the server responded with a status of [45]\d\d/.test(text) &&
					/\/api\//.test(loc)) return; /* an API error answer: the page handles it */
				if (rec.allow.some((re) => re.test(text))) return;
				rec.consoleErrors.push(text + (loc ? ` (${loc})` : ''));
			});
			page.on('response', (r) => {
				const u = new URL(r.url());
				if (u.host === own && !u.pathname.startsWith('/api/') && r.status() >= 400)
					rec.badLoads.push(`${r.status()} ${u.pathname}`);
			});
			pages.push(page);
			return page;
		},
	};
}

/* Let a console error matching re pass (for a test that provokes one on purpose). */
export function allowConsole(page, re) {
	page.jx.allow.push(re);
}

/* Record a failure for every outside request, page error, console error and
 * failed UI file load of the page so far (done() does this for every page). */
export function assertNoOutside(page) {
	const r = page.jx;
	if (!r || r.checked) return;
	r.checked = true;
	check(r.outside.length === 0, 'no request to an outside host: ' + r.outside.join(', '));
	check(r.pageErrors.length === 0, 'no page errors: ' + r.pageErrors.join(' | '));
	check(r.consoleErrors.length === 0, 'no console errors: ' + r.consoleErrors.join(' | '));
	check(r.badLoads.length === 0, 'every UI file loads: ' + r.badLoads.join(', '));
}

/* Wait until the page the router shows is fully rendered: #app carries
 * data-page=<name> and is not busy. */
export async function waitPage(page, name, timeout = 15000) {
	const sel = name ? `#app[data-page="${name}"][aria-busy="false"]` : '#app[aria-busy="false"]';
	await page.waitForSelector(sel, { timeout });
}

export async function login(page, server, loginName, password = PASSWORD) {
	await page.goto(server.url + '/#/login');
	await page.getByLabel('用户名').fill(loginName);
	await page.getByLabel('密码').fill(password);
	await page.getByRole('button', { name: '登录' }).click();
	await page.waitForSelector('#nav a[href="#/"]', { timeout: 15000 });
	await waitPage(page, 'home');
}

export async function shot(page, name) {
	await mkdir(ARTIFACTS, { recursive: true });
	const file = path.join(ARTIFACTS, `${name}.png`);
	await page.screenshot({ path: file, fullPage: true });
	return file;
}

export function check(cond, what) {
	checks++;
	if (!cond) {
		failures.push(what);
		console.log(`  FAIL ${what}`);
	} else if (process.env.JX_UI_VERBOSE) {
		console.log(`  ok   ${what}`);
	}
	return !!cond;
}

export function done() {
	for (const p of pages) assertNoOutside(p);
	const name = path.basename(process.argv[1] || 'ui test');
	if (failures.length) {
		console.log(`${name}: ${failures.length} of ${checks} checks failed`);
		for (const f of failures) console.log(`  - ${f}`);
		process.exitCode = 1;
	} else {
		console.log(`${name}: all ${checks} checks passed`);
	}
	return failures.length === 0;
}

/* The JSON API from Node with a user's session (cookie + CSRF), for setting
 * up data or checking what the UI saved. */
export async function apiAs(server, loginName, password = PASSWORD) {
	const r = await fetch(server.url + '/api/session', {
		method: 'POST', headers: { 'Content-Type': 'application/json' },
		body: JSON.stringify({ login: loginName, password }),
	});
	if (!r.ok) throw new Error(`sign-in of ${loginName} failed: ${r.status}`);
	const { csrf_token: csrf, user } = await r.json();
	const cookie = (r.headers.get('set-cookie') || '').split(';')[0];
	async function call(method, p, body) {
		const res = await fetch(server.url + p, {
			method,
			headers: { Cookie: cookie, 'X-CSRF-Token': csrf, Accept: 'application/json',
				...(body !== undefined ? { 'Content-Type': 'application/json' } : {}) },
			body: body !== undefined ? JSON.stringify(body) : undefined,
		});
		const text = await res.text();
		const data = text ? JSON.parse(text) : null;
		return { status: res.status, data };
	}
	return {
		user,
		get: (p) => call('GET', p),
		post: (p, b = {}) => call('POST', p, b),
		put: (p, b) => call('PUT', p, b),
		patch: (p, b) => call('PATCH', p, b),
		del: (p) => call('DELETE', p),
	};
}

