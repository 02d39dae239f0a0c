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

const router = createRouter({
  history: createWebHistory('/workbench/'),
  routes: [
    { path: '/login', name: 'login', component: LoginPage, meta: { title: '登录', public: true } },
    {
      path: '/',
      component: MainLayout,
      children: [
        { path: '', redirect: { name: 'queue' } },
        { path: 'applications', name: 'queue', component: QueuePage, meta: { title: '办件队列' } },
        { path: 'applications/:id', name: 'detail', component: DetailPage, meta: { title: '办件详情' } },
        { path: 'corrections', name: 'corrections', component: CorrectionsPage, meta: { title: '纠错待办' } },
        { path: 'corrections/:id', name: 'correction', component: CorrectionPage, meta: { title: '纠错详情' } },
        { path: 'follow-ups', name: 'follow-ups', component: FollowUpsPage, meta: { title: '回访整改' } },
        { path: 'follow-ups/:id', name: 'follow-up', component: FollowUpPage, meta: { title: '回访整改详情' } },
        { path: 'statistics', name: 'statistics', // Its own chunk: the chart library loads only for this screen.
          component: () => import('./pages/StatisticsPage.vue'), meta: { title: '统计分析' } },
      ],
    },
    { path: '/:rest(.*)*', redirect: { name: 'queue' } },
  ],
});

router.beforeEach((to) => {
  const session = useSession();
  if (!to.meta.public && !session.signedIn) {
    return { name: 'login', query: to.fullPath !== '/' ? { next: to.fullPath } : {} };
  }
  return true;
});

router.afterEach((to) => {
  document.title = `${to.meta.title || '受理审批工作台'} · 受理审批工作台`;
});

export default router;
