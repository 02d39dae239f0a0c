/**
 * 个人中心 (manual §3.3.1). Signed out: 登录. Signed in: 我的办件, 用户信息, 我的证照
 * (carousel + 全部), 我的评价, 我的纠错, 我的材料, 我的消息 (unread badge), 帮助指引 and
 * 退出登录. The 适老化模式 switch (large text, high contrast) is always there.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const store = require('../../utils/store');
const { go } = require('../../utils/nav');
const { confirm, toast } = require('../../utils/wxp');
const { pageOf } = require('../../utils/format');
const { refreshUnread, setUnread } = require('../../utils/messages');

const MENU = {
  applications: '/pages/applications/index',
  profile: '/pages/profile/index',
  certificates: '/pages/certificates/index',
  evaluations: '/pages/evaluations/index',
  corrections: '/pages/corrections/index',
  materials: '/pages/materials/index',
  messages: '/pages/messages/index',
  help: '/pages/help/index',
};

Component({
  behaviors: [page],
  data: {
    loggedIn: false,
    user: null,
    profileTitle: '用户信息',
    certificates: [],
    unread: 0,
  },
  lifetimes: {
    detached() {
      if (this.unsubscribeUnread) this.unsubscribeUnread();
      if (this.unsubscribeSession) this.unsubscribeSession();
    },
  },
  methods: {
    onLoad() {
      this.unsubscribeUnread = store.subscribe('unread', (n) => this.setData({ unread: n || 0 }));
      this.unsubscribeSession = services.tokens.subscribe(() => this.showUser());
    },
    async onShow() {
      this.showUser();
      if (!services.auth.isLoggedIn()) return;
      await Promise.all([
        services.auth.refreshUser({ silent: true, authRedirect: false }).catch(() => null),
        this.loadCertificates(),
        refreshUnread(),
      ]);
    },

    showUser() {
      const user = services.auth.user();
      const loggedIn = services.auth.isLoggedIn();
      const role = user && user.role ? user.role.code : '';
      this.setData({
        loggedIn,
        user,
        profileTitle: role === 'corporate' ? '法人信息' : role === 'personal' ? '个人信息' : '用户信息',
        unread: loggedIn ? store.get('unread') || 0 : 0,
        certificates: loggedIn ? this.data.certificates : [],
      });
    },

    async loadCertificates() {
      try {
        const res = await services.api.certificates.list({ limit: 5 }, { silent: true, authRedirect: false });
        this.setData({ certificates: pageOf(res).items });
      } catch (e) {
        this.setData({ certificates: [] });
      }
    },

    onLogin() {
      go('/pages/login/index');
    },
    onMenu(e) {
      const key = e.currentTarget.dataset.key;
      if (!this.data.loggedIn && key !== 'help') {
        go('/pages/login/index');
        return;
      }
      go(MENU[key]);
    },
    onDisplay(e) {
      go(`/pages/cert-display/index?id=${encodeURIComponent(e.detail.id)}`);
    },
    onCorrect(e) {
      go(`/pages/cert-correction/index?id=${encodeURIComponent(e.detail.id)}`);
    },
    onElder(e) {
      store.set('elder', Boolean(e.detail.value));
    },
    async onLogout() {
      if (!(await confirm('确定退出登录吗？'))) return;
      await services.auth.logout();
      setUnread(0);
      this.setData({ certificates: [] });
      this.showUser();
      toast('已退出登录', 'success');
    },
  },
});
