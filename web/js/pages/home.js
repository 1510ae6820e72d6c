/*
 * home.js - #/ : what waits for the signed-in user (GET /api/inbox), by role.
 * Unit filers: returned records with the reviewer's comment, drafts to
 * submit, projects whose self-evaluation can be started. Reviewers: what
 * awaits their review. Administrators: the counts of every list.
 */
import { get } from '../api.js';
import { h, dt, statusBadge, spinner } from '../ui.js';

const TYPE_LABEL = { self_eval: '自评表', goal_version: '绩效目标' };

const LIST_HINT = {
	returned: '审核退回的材料，请按退回意见修改后重新提交。',
	draft: '尚未提交审核的草稿。',
	awaiting_dept: '本部门所属单位已提交、等待主管部门审核的材料。',
	awaiting_finance: '主管部门已审核（或财政直管单位已提交）、等待财政审核的材料。',
};

const STATUSES = [
	['none', '未填报'], ['draft', '草稿'], ['submitted', '已提交'], ['dept_approved', '主管部门已审核'],
	['returned', '已退回'], ['finance_approved', '财政已审核'],
];

const LIST_CLASS = { returned: 'err', draft: 'warn', awaiting_dept: '', awaiting_finance: '' };

function itemHref(item) {
	if (item.type === 'self_eval') return '#/evals/' + item.id;
	return '#/projects/' + item.project.id + '/goals';
}

function todoItem(item) {
	const c = item.last_comment;
	return h('li', null,
		h('span', { class: 'todo-type' }, TYPE_LABEL[item.type] || item.type),
		h('span', { class: 'todo-title' },
			h('a', { href: itemHref(item) }, item.project.name),
			h('span', { class: 'todo-code' }, item.project.code),
			' ', statusBadge(item.status)),
		h('span', { class: 'todo-when', title: '最后更新（UTC）' }, dt(item.updated_at)),
		c && c.comment ? h('div', { class: 'todo-comment' },
			(item.status && item.status.key === 'returned' ? '退回意见：' : '审核意见：') + c.comment,
			h('span', { class: 'who-said' }, (c.actor || '') + ' ' + dt(c.at))) : null);
}

function listPanel(list, user) {
	const more = list.total > (list.items ? list.items.length : 0);
	const reviewLink = (list.key === 'awaiting_dept' || list.key === 'awaiting_finance') &&
		(user.role === 'dept_reviewer' || user.role === 'finance_reviewer');
	return h('section', { class: 'panel', 'aria-labelledby': 'list-' + list.key },
		h('div', { class: 'panel-head' },
			h('h2', { id: 'list-' + list.key }, list.label, ' ',
				h('span', { class: 'badge ' + (list.total ? LIST_CLASS[list.key] || '' : '') }, list.total + ' 项')),
			reviewLink ? h('a', { href: '#/review', class: 'btn small' }, '进入审核') : null),
		h('p', { class: 'hint' }, LIST_HINT[list.key] || ''),
		list.items && list.items.length
			? h('ul', { class: 'todo-list' }, list.items.map(todoItem))
			: h('p', { class: 'empty-note' }, '暂无待办。'),
		more ? h('p', { class: 'hint' }, '仅显示最近更新的 ' + list.items.length + ' 项，共 ' + list.total + ' 项。') : null);
}

function stat(label, value, unit, href, cls) {
	const inner = [h('div', { class: 'stat-label' }, label),
		h('div', { class: 'stat-value' }, String(value), unit ? h('small', null, unit) : null)];
	return href ? h('a', { class: 'stat ' + (cls || ''), href }, inner) : h('div', { class: 'stat ' + (cls || '') }, inner);
}

export async function render(root, params, ctx) {
	const user = ctx.user;
	root.appendChild(h('div', { class: 'page-head' },
		h('div', null,
			h('h1', null, '首页'),
			h('div', { class: 'sub' }, user.name + '（' + user.role_label + '）',
				user.org ? ' · ' + user.org.name : '')),
		h('div', { class: 'page-actions' },
			h('a', { class: 'btn', href: '#/projects' }, '全部项目'),
			user.role === 'unit_filer' ? h('a', { class: 'btn primary', href: '#/projects?new=1' }, '新建项目') : null)));
	const wait = spinner();
	root.appendChild(wait);

	const overseer = user.role !== 'unit_filer';
	const [inbox, all, errs, noEval, byStatus] = await Promise.all([
		get('/api/inbox'),
		get('/api/projects', { per_page: 1 }),
		get('/api/projects', { has_errors: 1, per_page: 1 }),
		overseer ? null : get('/api/projects', { status: 'none', per_page: 100, sort: '-year' }),
		overseer ? Promise.all(STATUSES.map(([k]) => get('/api/projects', { status: k, per_page: 1 })
			.then((r) => r.total))) : null,
	]);
	if (!ctx.alive()) return;
	wait.remove();
	ctx.refreshInbox();

	const lists = inbox.lists || [];
	const waiting = lists.reduce((n, l) => n + (l.total || 0), 0);
	const cards = [stat('项目总数', all.total, '个', '#/projects')];
	for (const l of lists) {
		const href = l.key === 'returned' || l.key === 'draft' ? '#/projects?status=' + l.key
			: (user.role === 'admin' ? '#/projects?status=' + (l.key === 'awaiting_dept' ? 'submitted' : 'dept_approved') : '#/review');
		cards.push(stat(l.label, l.total, '项', href, l.total ? LIST_CLASS[l.key] : 'ok'));
	}
	cards.push(stat('自评存在错误的项目', errs.total, '个', '#/projects?has_errors=1', errs.total ? 'err' : 'ok'));
	root.appendChild(h('div', { class: 'stat-row' }, cards));

	if (byStatus) {
		root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'h-progress' },
			h('div', { class: 'panel-head' }, h('h2', { id: 'h-progress' }, '自评进度'),
				h('span', { class: 'hint' }, '管辖范围内全部年度的项目，按自评表状态')),
			h('div', { class: 'status-strip' }, STATUSES.map(([k, label], i) =>
				h('a', { href: '#/projects?status=' + k, class: 'status-cell' },
					h('span', { class: 'badge st-' + k }, label),
					h('span', { class: 'status-count' }, String(byStatus[i])))))));
	}

	if (user.role === 'admin') {
		root.appendChild(h('section', { class: 'panel' },
			h('h2', null, '系统概况'),
			h('p', null, '系统管理员可查看全部待办的数量；具体材料由各单位填报、由主管部门和财政审核。'),
			h('p', null, h('a', { href: '#/dashboard' }, '打开监督看板'), ' · ',
				h('a', { href: '#/projects' }, '查看全部项目'))));
		return;
	}

	if (waiting === 0) {
		root.appendChild(h('div', { class: 'notice ok' }, '当前没有待办事项。'));
	}
	for (const l of lists) root.appendChild(listPanel(l, user));

	if (noEval) {
		const ready = noEval.items.filter((p) => p.goal_status === 'finance_approved');
		const pending = noEval.items.filter((p) => p.goal_status !== 'finance_approved');
		root.appendChild(h('section', { class: 'panel', 'aria-labelledby': 'list-noeval' },
			h('div', { class: 'panel-head' }, h('h2', { id: 'list-noeval' }, '尚未开始自评的项目 ',
				h('span', { class: 'badge' }, noEval.total + ' 项'))),
			h('p', { class: 'hint' }, '绩效目标经财政审核后即可开始自评；目标尚未审核通过的，请先完成绩效目标申报。'),
			noEval.items.length ? h('ul', { class: 'todo-list' }, [...ready, ...pending].slice(0, 20).map((p) =>
				h('li', null,
					h('span', { class: 'todo-type' }, p.year + ' 年度'),
					h('span', { class: 'todo-title' }, h('a', { href: '#/projects/' + p.id }, p.name),
						h('span', { class: 'todo-code' }, p.code)),
					h('span', { class: 'todo-when' }, p.goal_status === 'finance_approved'
						? h('span', { class: 'badge ok' }, '可开始自评')
						: h('a', { href: '#/projects/' + p.id + '/goals' },
							p.goal_status ? '绩效目标：' + (p.goal_status_label || p.goal_status) : '待申报绩效目标')))))
				: h('p', { class: 'empty-note' }, '所有项目均已开始自评。')));
	}
}
