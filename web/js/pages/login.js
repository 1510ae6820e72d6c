/*
 * login.js - #/login: sign in with 用户名 and 密码 (POST /api/session), then
 * go on to ?next= (a hash inside the UI) or the home page.
 */
import { post, ApiError } from '../api.js';
import { h, fieldError, clearFieldErrors } from '../ui.js';

function safeNext(next) {
	if (!next || !next.startsWith('#/') || next.startsWith('#/login')) return '#/';
	return next;
}

export async function render(root, params, ctx) {
	const next = safeNext(params.query.get('next'));
	if (ctx.user) {
		ctx.nav(next);
		return;
	}
	const loginInput = h('input', { id: 'login-name', name: 'login', type: 'text', autocomplete: 'username',
		required: true, maxlength: 64, 'data-field': 'login', autocapitalize: 'off', spellcheck: 'false' });
	const pwInput = h('input', { id: 'login-password', name: 'password', type: 'password',
		autocomplete: 'current-password', required: true, maxlength: 128, 'data-field': 'password' });
	const button = h('button', { type: 'submit', class: 'btn primary block' }, '登录');
	const status = h('div', { class: 'login-status', role: 'alert', 'aria-live': 'assertive' });
	const form = h('form', { class: 'login-form', novalidate: true },
		h('div', { class: 'field' }, h('label', { for: 'login-name' }, '用户名'), loginInput),
		h('div', { class: 'field' }, h('label', { for: 'login-password' }, '密码'), pwInput),
		status,
		button);

	form.addEventListener('submit', async (e) => {
		e.preventDefault();
		clearFieldErrors(form);
		status.textContent = '';
		const login = loginInput.value.trim();
		const password = pwInput.value;
		let bad = false;
		if (!login) { fieldError(form, 'login', '请输入用户名'); bad = true; }
		if (!password) { fieldError(form, 'password', '请输入密码'); bad = true; }
		if (bad) {
			(login ? pwInput : loginInput).focus();
			return;
		}
		button.disabled = true;
		button.textContent = '正在登录…';
		form.setAttribute('aria-busy', 'true');
		try {
			const data = await post('/api/session', { login, password });
			ctx.setSession(data);
			ctx.nav(next);
		} catch (err) {
			if (err instanceof ApiError && err.status === 422 && err.field) {
				fieldError(form, err.field, err.message);
			} else {
				status.textContent = err.message || '登录失败';
			}
			pwInput.value = '';
			pwInput.focus();
		} finally {
			button.disabled = false;
			button.textContent = '登录';
			form.removeAttribute('aria-busy');
		}
	});

	root.appendChild(h('section', { class: 'login-page' },
		h('div', { class: 'login-card' },
			h('h1', null, '预算绩效管理系统'),
			h('p', { class: 'login-sub' }, '绩效目标申报 · 绩效自评 · 审核 · 监督看板'),
			form),
		h('p', { class: 'login-foot' }, '请使用本单位分配的账号登录。忘记密码请联系系统管理员重置。')));
	loginInput.focus();
}
