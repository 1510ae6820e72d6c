/*
 * app.js - the shell of the web UI: restores the session (GET /api/session),
 * draws the header and the navigation for the user's role, and routes the
 * location hash to a page module (web/js/pages/<name>.js, imported lazily so
 * that one missing or broken page does not take the others down).
 *
 * Page modules export render(root, params, ctx) and optionally leave()
 * (return false to stay, e.g. on unsaved changes). Each navigation gets a
 * fresh <main id="app">, so a slow render of a page the user already left
 * writes into a detached element and never into the next page. While a page
 * renders, #app has aria-busy="true"; data-page names the route (tests wait
 * for #app[data-page=…][aria-busy=false]).
 */
import { get, del, setCsrf, ApiError } from './api.js';
import { h, clear, spinner, toast } from './ui.js';

const UNIT = 'unit_filer';
const DEPT = 'dept_reviewer';
const FIN = 'finance_reviewer';
const ADMIN = 'admin';

/* [name, pattern, parameter names, module, extra params, roles (null: all signed-in)] */
const ROUTES = [
	['login', /^\/login$/, [], 'login', {}, 'public'],
	['home', /^\/?$/, [], 'home', {}, null],
	['projects', /^\/projects$/, [], 'projects', {}, null],
	['project', /^\/projects\/(\d+)$/, ['id'], 'project', {}, null],
	['goals', /^\/projects\/(\d+)\/goals$/, ['id'], 'goals', {}, null],
	['project-print', /^\/projects\/(\d+)\/print$/, ['id'], 'print', { kind: 'project' }, null],
	['eval', /^\/evals\/(\d+)$/, ['id'], 'eval', {}, null],
	['eval-print', /^\/evals\/(\d+)\/print$/, ['id'], 'print', { kind: 'eval' }, null],
	['review', /^\/review$/, [], 'review', {}, [DEPT, FIN, ADMIN]],
	['dashboard', /^\/dashboard$/, [], 'dashboard', {}, [UNIT, DEPT, FIN, ADMIN]],
];

const NAV = [
	{ hash: '#/', label: '首页', match: ['home'], roles: null, badge: 'inbox' },
	{ hash: '#/projects', label: '项目', match: ['projects', 'project', 'goals', 'project-print', 'eval', 'eval-print'], roles: null },
	{ hash: '#/review', label: '审核', match: ['review'], roles: [DEPT, FIN], badge: 'inbox' },
	{ hash: '#/dashboard', label: '看板', match: ['dashboard'], roles: [UNIT, DEPT, FIN, ADMIN] },
];

let user = null;
let current = null; /* the page module shown */
let currentHash = null; /* the hash it was routed for */
let seq = 0;
let inboxCount = null;

function parseHash(hash) {
	let s = (hash || '').replace(/^#/, '');
	if (s === '') s = '/';
	const q = s.indexOf('?');
	const pathPart = q >= 0 ? s.slice(0, q) : s;
	const query = new URLSearchParams(q >= 0 ? s.slice(q + 1) : '');
	for (const [name, re, names, mod, extra, roles] of ROUTES) {
		const m = re.exec(pathPart);
		if (!m) continue;
		const params = { ...extra, query };
		names.forEach((n, i) => { params[n] = m[i + 1]; });
		return { name, mod, params, roles };
	}
	return { name: 'notfound', mod: null, params: { query }, roles: null };
}

function allowed(roles) {
	return roles === null || roles === 'public' || (user && roles.includes(user.role));
}

/* ---- header and navigation --------------------------------------------- */

function drawHeader(routeName) {
	const nav = document.getElementById('nav');
	const who = document.getElementById('who');
	clear(nav);
	if (!user) {
		nav.hidden = true;
		who.hidden = true;
		return;
	}
	for (const item of NAV) {
		if (item.roles && !item.roles.includes(user.role)) continue;
		const active = item.match.includes(routeName);
		const a = h('a', { href: item.hash, class: active ? 'active' : null, 'aria-current': active ? 'page' : null },
			item.label);
		if (item.badge === 'inbox' && inboxCount) a.appendChild(h('span', { class: 'nav-count', title: '待办 ' + inboxCount + ' 项' }, String(inboxCount)));
		a.addEventListener('click', async (e) => {
			if (a.getAttribute('href') !== location.hash) return;
			e.preventDefault(); /* the page shown again: start it afresh */
			if (await mayLeave()) route(true);
		});
		nav.appendChild(a);
	}
	nav.hidden = false;
	document.getElementById('who-name').textContent = user.name || user.login;
	document.getElementById('who-role').textContent = user.role_label || '';
	document.getElementById('who-org').textContent = user.org && user.org.name ? user.org.name : '';
	who.hidden = false;
}

async function refreshInbox() {
	if (!user) return null;
	try {
		const inbox = await get('/api/inbox');
		inboxCount = user.role === ADMIN ? null :
			(inbox.lists || []).reduce((n, l) => n + (l.total || 0), 0) || null;
		drawHeader(parseHash(location.hash).name);
		return inbox;
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 401) inboxCount = null;
		return null;
	}
}

function setSession(data) {
	if (data && data.user) {
		user = data.user;
		setCsrf(data.csrf_token);
	} else {
		user = null;
		setCsrf(null);
		inboxCount = null;
	}
	drawHeader(parseHash(location.hash).name);
}

/* ---- routing ----------------------------------------------------------- */

function nav(hash) {
	if (hash === location.hash) route(true);
	else location.hash = hash;
}

/* Change the hash (e.g. a list's filters) without routing or a history entry. */
function replace(hash) {
	history.replaceState(null, '', hash);
	currentHash = location.hash;
}

function freshRoot() {
	const old = document.getElementById('app');
	const root = old.cloneNode(false);
	old.replaceWith(root);
	return root;
}

function message(root, title, text) {
	root.appendChild(h('section', { class: 'page-message' },
		h('h1', null, title),
		text ? h('p', null, text) : null,
		h('p', null, h('a', { href: '#/', class: 'btn' }, '返回首页'))));
}

async function route(force = false) {
	if (!force && location.hash === currentHash) return;
	const my = ++seq;
	let r = parseHash(location.hash);
	if (r.roles !== 'public' && !user) {
		const next = location.hash && location.hash !== '#/' && location.hash !== '#' ? location.hash : '';
		history.replaceState(null, '', '#/login' + (next ? '?next=' + encodeURIComponent(next) : ''));
		r = parseHash(location.hash);
	}
	currentHash = location.hash;
	drawHeader(r.name);
	const root = freshRoot();
	root.dataset.page = r.name;
	root.setAttribute('aria-busy', 'true');
	current = null;
	const ctx = {
		user,
		nav,
		replace,
		refreshInbox,
		setSession,
		alive: () => my === seq,
	};
	try {
		if (!r.mod) {
			message(root, '页面不存在', '您访问的地址没有对应的页面，请检查链接是否正确。');
		} else if (!allowed(r.roles)) {
			message(root, '没有权限访问此页面', '当前账号（' + (user.role_label || user.role) + '）不能使用此功能。');
		} else {
			const wait = setTimeout(() => { if (!root.firstChild) root.appendChild(spinner()); }, 150);
			let mod;
			try {
				mod = await import('./pages/' + r.mod + '.js');
			} catch (err) {
				clearTimeout(wait);
				if (my !== seq) return;
				clear(root);
				message(root, '该页面暂不可用', '页面文件未能加载，请刷新后重试或联系系统管理员。');
				return;
			}
			if (my !== seq) return;
			clearTimeout(wait);
			clear(root);
			current = mod;
			await mod.render(root, r.params, ctx);
		}
	} catch (err) {
		if (my !== seq) return;
		if (err instanceof ApiError) {
			if (err.status === 401) return;
			clear(root);
			message(root, err.status === 404 ? err.message || '记录不存在' : '无法显示此页面',
				err.status === 404 ? '您要查看的记录不存在，或不在您的管理范围内。' : err.message);
		} else {
			console.error(err);
			clear(root);
			message(root, '页面出错', '显示此页面时发生错误：' + (err && err.message ? err.message : String(err)));
		}
	} finally {
		if (my === seq) {
			root.setAttribute('aria-busy', 'false');
			const h1 = root.querySelector('h1');
			document.title = (h1 ? h1.textContent.trim() + ' - ' : '') + '绩效管理';
			const ae = document.activeElement;
			if (!ae || ae === document.body || (!root.contains(ae) && !(ae.closest && ae.closest('dialog'))))
				root.focus({ preventScroll: true });
		}
	}
}

/* Ask the page shown whether it may be left (unsaved changes). */
async function mayLeave() {
	if (!current || typeof current.leave !== 'function') return true;
	try {
		return (await current.leave()) !== false;
	} catch {
		return true;
	}
}

async function onHashChange() {
	if (location.hash === currentHash) return;
	const target = location.hash;
	if (!(await mayLeave())) {
		history.replaceState(null, '', currentHash);
		return;
	}
	if (location.hash !== target) return; /* moved on meanwhile */
	current = null;
	route();
}

async function logout(e) {
	const btn = e.currentTarget;
	if (!(await mayLeave())) return;
	current = null;
	btn.disabled = true;
	try {
		await del('/api/session');
	} catch (err) {
		if (!(err instanceof ApiError) || err.status !== 401) toast(err.message, 'error');
	} finally {
		btn.disabled = false;
	}
	setSession(null);
	currentHash = null;
	history.replaceState(null, '', '#/login');
	route(true);
	toast('已退出登录', 'ok');
}

async function boot() {
	document.getElementById('logout').addEventListener('click', logout);
	window.addEventListener('jx:unauthenticated', () => {
		if (user) {
			setSession(null);
			toast('登录已过期，请重新登录', 'info');
		}
	});
	const start = location.hash;
	try {
		const s = await get('/api/session');
		setSession(s);
	} catch {
		setSession(null);
		/* api.js moved an unauthenticated visitor to #/login?next=… */
	}
	if (location.hash !== start && start && !start.startsWith('#/login') && !user)
		history.replaceState(null, '', '#/login?next=' + encodeURIComponent(start));
	window.addEventListener('hashchange', onHashChange);
	await route(true);
	if (user) refreshInbox();
}

boot();
