/**
 * 个人中心 (manual §3.3.1). Signed out: 登录. Signed in: 我的办件, 用户信息, 我的证照
 * (carousel + 全部), 我的评价, 我的纠错, 我的材料, 我的消息 (unread badge), 帮助指引,
 * 导出我的数据 and 注销账号 (个人信息保护法) and 退出登录. The 适老化模式 switch (large text,
 * high contrast) is always there.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const store = require('../../utils/store');
const { go } = require('../../utils/nav');
const { call, confirm, isCancel, toast } = require('../../utils/wxp');
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
  ships: '/pages/ships/index',
  help: '/pages/help/index',
};

Component({
  behaviors: [page],
  data: {
    loggedIn: false,
    user: null,
    profileTitle: '用户信息',
    hasShips: false,
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
        hasShips: loggedIn && role === 'corporate',
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
    /** A tap on a certificate card opens 证照详情. */
    onOpenCertificate(e) {
      go(`/pages/certificate/index?id=${encodeURIComponent(e.detail.id)}`);
    },
    onCorrect(e) {
      go(`/pages/cert-correction/index?id=${encodeURIComponent(e.detail.id)}`);
    },
    onElder(e) {
      store.set('elder', Boolean(e.detail.value));
    },
    /** 导出我的数据: the JSON archive, sent to a chat the user picks (e.g. 文件传输助手). */
    async onExport() {
      const ok = await confirm('导出的文件包含您的全部个人信息（不脱敏），请发送到本人的聊天（如“文件传输助手”）并妥善保管。', '导出我的数据');
      if (!ok) return;
      let path;
      try {
        path = await services.api.me.exportData();
      } catch (e) {
        return; // toast shown by the request layer
      }
      try {
        await call('shareFileMessage', { filePath: path, fileName: '我的数据.json' });
      } catch (err) {
        if (!isCancel(err)) toast('导出文件已生成，但未能发送，请稍后重试');
      }
    },
    /** 注销账号: explained and confirmed here, proven by face verification on the next page. */
    async onDeleteAccount() {
      const ok = await confirm(
        '注销后将删除您的个人信息、登录方式和未使用的材料，且无法恢复；依法需留存的办件、通知书和证照记录将保留，但不再关联到您。有正在受理或审批的办件时不能注销。注销需本人（法人账号为经办人）人脸识别。',
        '注销账号',
      );
      if (ok) go('/pages/face/index?purpose=account_deletion');
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
