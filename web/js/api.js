/*
 * api.js - the JSON API client of the web UI.
 *
 * api(method, path, body) sends JSON, adds the session's CSRF token to every
 * state-changing request, and answers the parsed JSON (null for 204). Any
 * status >= 400 throws an ApiError carrying the server's Chinese message and
 * the field it names (e.g. "indicators[3].weight"). A 401 on anything but the
 * sign-in itself means the session is gone: the UI is sent to the login page
 * with the current place kept in ?next=.
 */

let csrfToken = null;

export class ApiError extends Error {
	constructor(status, code, message, field) {
		super(message);
		this.name = 'ApiError';
		this.status = status;
		this.code = code;
		this.field = field ?? null;
	}
}

/* Remember the CSRF token of the session (after sign-in, GET /api/session). */
export function setCsrf(token) {
	csrfToken = token || null;
}

const FALLBACK = {
	400: '请求格式有误',
	401: '未登录或会话已过期，请重新登录',
	403: '没有权限执行此操作',
	404: '记录不存在',
	405: '不支持的操作',
	409: '数据已被他人修改，请刷新后重试',
	413: '提交的内容过大',
	422: '填写的内容有误',
	429: '操作过于频繁，请稍后再试',
	500: '服务器内部错误，请稍后再试',
	503: '服务器繁忙，请稍后再试',
};

function queryString(query) {
	if (!query) return '';
	const p = new URLSearchParams();
	for (const [k, v] of Object.entries(query)) {
		if (v === null || v === undefined || v === '') continue;
		p.append(k, String(v));
	}
	const s = p.toString();
	return s ? '?' + s : '';
}

function toLogin() {
	const here = location.hash || '#/';
	if (here.startsWith('#/login')) return;
	location.hash = '#/login?next=' + encodeURIComponent(here);
}

export async function api(method, path, body) {
	const headers = { Accept: 'application/json' };
	const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
	if (body !== undefined) {
		headers['Content-Type'] = 'application/json';
		init.body = JSON.stringify(body);
	}
	if (method !== 'GET' && method !== 'HEAD' && csrfToken)
		headers['X-CSRF-Token'] = csrfToken;
	let res;
	try {
		res = await fetch(path, init);
	} catch {
		throw new ApiError(0, 'network', '无法连接服务器，请检查网络后重试', null);
	}
	if (res.status === 204) return null;
	let data = null;
	const text = await res.text();
	if (text) {
		try {
			data = JSON.parse(text);
		} catch {
			data = null;
		}
	}
	if (res.status >= 400) {
		const e = (data && data.error) || {};
		const err = new ApiError(res.status, e.code || 'http_' + res.status,
			e.message || FALLBACK[res.status] || '请求失败（' + res.status + '）',
			e.field ?? null);
		if (res.status === 401 && !(method === 'POST' && path === '/api/session')) {
			csrfToken = null;
			window.dispatchEvent(new CustomEvent('jx:unauthenticated'));
			toLogin();
		}
		throw err;
	}
	return data;
}

export const get = (path, query) => api('GET', path + queryString(query));
export const post = (path, body) => api('POST', path, body === undefined ? {} : body);
export const put = (path, body) => api('PUT', path, body);
export const patch = (path, body) => api('PATCH', path, body);
export const del = (path) => api('DELETE', path);
