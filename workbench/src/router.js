import { createRouter, createWebHistory } from 'vue-router';
import { useSession } from './store/session';
import MainLayout from './layouts/MainLayout.vue';
import LoginPage from './pages/LoginPage.vue';
import QueuePage from './pages/QueuePage.vue';
import DetailPage from './pages/DetailPage.vue';
import CorrectionsPage from './pages/CorrectionsPage.vue';
import CorrectionPage from './pages/CorrectionPage.vue';
import FollowUpsPage from './pages/FollowUpsPage.vue';
import FollowUpPage from './pages/FollowUpPage.vue';
import ForbiddenPage from './pages/ForbiddenPage.vue';
import { homeOf, STAFF, SYSADMIN } from './api/upkeep';

// 数据维护 is its own chunk: staff never load it.
const upkeepPage = (name) => () => import(`./pages/upkeep/${name}.vue`);

const router = createRouter({
  history: createWebHistory('/workbench/'),
  routes: [
    { path: '/login', name: 'login', component: LoginPage, meta: { title: '登录', public: true } },
    {
      path: '/',
      component: MainLayout,
      children: [
        { path: '', name: 'home', redirect: () => ({ name: homeOf(useSession().role) }) },
        { path: 'applications', name: 'queue', component: QueuePage, meta: { title: '办件队列', roles: [STAFF] } },
        { path: 'applications/:id', name: 'detail', component: DetailPage, meta: { title: '办件详情', roles: [STAFF] } },
        { path: 'corrections', name: 'corrections', component: CorrectionsPage, meta: { title: '纠错待办', roles: [STAFF] } },
        { path: 'corrections/:id', name: 'correction', component: CorrectionPage, meta: { title: '纠错详情', roles: [STAFF] } },
        { path: 'follow-ups', name: 'follow-ups', component: FollowUpsPage, meta: { title: '回访整改', roles: [STAFF] } },
        { path: 'follow-ups/:id', name: 'follow-up', component: FollowUpPage, meta: { title: '回访整改详情', roles: [STAFF] } },
        { path: 'statistics', name: 'statistics', // Its own chunk: the chart library loads only for this screen.
          component: () => import('./pages/StatisticsPage.vue'), meta: { title: '统计分析', roles: [STAFF] } },
        { path: 'upkeep/agencies', name: 'upkeep-agencies', component: upkeepPage('AgenciesPage'),
          meta: { title: '机构维护', roles: [SYSADMIN] } },
        { path: 'upkeep/items', name: 'upkeep-items', component: upkeepPage('ItemsPage'),
          meta: { title: '事项维护', roles: [SYSADMIN] } },
        { path: 'upkeep/pick-lists', name: 'upkeep-pick-lists', component: upkeepPage('PickListsPage'),
          meta: { title: '选项表', roles: [SYSADMIN] } },
        { path: 'upkeep/publishing', name: 'upkeep-publishing', component: upkeepPage('PublishingPage'),
          meta: { title: '发布与版本', roles: [SYSADMIN] } },
        { path: 'forbidden', name: 'forbidden', component: ForbiddenPage, meta: { title: '无权访问' } },
      ],
    },
    { path: '/:rest(.*)*', redirect: { name: 'home' } },
  ],
});

router.beforeEach((to) => {
  const session = useSession();
  if (!to.meta.public && !session.signedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  }
  // A screen of another role: said so (the server would answer 403 to its calls anyway).
  if (to.meta.roles && !to.meta.roles.includes(session.role)) {
    return { name: 'forbidden', query: { from: to.fullPath } };
  }
  return true;
});

router.afterEach((to) => {
  const desk = useSession().role === SYSADMIN ? '数据维护' : '受理审批工作台';
  document.title = `${to.meta.title || desk} · ${desk}`;
});

export default router;
