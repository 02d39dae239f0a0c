/**
 * 首页 (manual §3.1): 海事机构 name (opens the agency picker), 事项查询 search box,
 * 执法人员扫码, 便民查询 (办件查询, 证书查询), 政务服务 (个人办事, 法人办事, 按业务,
 * 按事项性质; labels and counts from GET /catalog/facets for the chosen agency),
 * 其他网上办理 and 我要评.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const store = require('../../utils/store');
const handoff = require('../../utils/handoff');
const { go, requireLogin, query } = require('../../utils/nav');
const { call, isCancel, toast } = require('../../utils/wxp');
const { tokenFrom } = require('../../utils/certificate');

const BUSINESS_ICONS = {
  navigation: 'compass',
  ship: 'anchor',
  crew: 'usergroup',
  pollution: 'shield-error',
  shipping: 'internet',
  inspection: 'fact-check',
  aids: 'lightbulb',
  other: 'app',
};
const NATURE_ICONS = { licensing: 'certificate', confirmation: 'check-circle', filing: 'file', other_power: 'layers' };
const AUDIENCE_ICONS = { personal: 'user', corporate: 'building' };

Component({
  behaviors: [page],
  data: {
    agencyName: '全部海事机构',
    audience: [],
    business: [],
    nature: [],
    loading: false,
  },
  lifetimes: {
    detached() {
      if (this.unsubscribeAgency) this.unsubscribeAgency();
    },
  },
  methods: {
    onLoad() {
      this.unsubscribeAgency = store.subscribe('agency', () => this.loadFacets());
      return this.loadFacets();
    },
    onPullDownRefresh() {
      return this.loadFacets().then(() => wx.stopPullDownRefresh());
    },

    async loadFacets() {
      const agency = store.get('agency');
      this.setData({ agencyName: agency ? agency.name : '全部海事机构', loading: true });
      try {
        const facets = await services.api.catalog.facets({ agency: agency ? agency.code : undefined });
        const withIcon = (icons) => (f) => Object.assign({}, f, { icon: icons[f.code] || 'app' });
        this.setData({
          audience: (facets.audience || []).map(withIcon(AUDIENCE_ICONS)),
          business: (facets.business || []).map(withIcon(BUSINESS_ICONS)),
          nature: (facets.nature || []).map(withIcon(NATURE_ICONS)),
        });
      } catch (e) {
        // The toast is shown by the request layer. A chosen unit that has since closed (or gone)
        // is forgotten: the store's subscriber loads every agency's facets again.
        if (agency && e && (e.code === 'agency.closed' || e.code === 'agency.not_found')) store.set('agency', null);
      } finally {
        this.setData({ loading: false });
      }
    },

    onAgency() {
      go('/pages/agency/index');
    },
    onSearch() {
      go('/pages/search/index?focus=1');
    },
    onFacet(e) {
      const { group, code } = e.currentTarget.dataset;
      go(`/pages/search/index?${query({ [group]: code })}`);
    },
    onProgress() {
      go('/pages/progress/index');
    },
    onCertificateLookup() {
      go('/pages/cert-lookup/index');
    },
    onOtherOnline() {
      go('/pages/online/index');
    },
    onEvaluate() {
      if (!requireLogin(services.auth)) return;
      go('/pages/applications/index?finished=true');
    },

    /** 执法人员扫码: officers scan a 亮证 QR code and see the certificate. */
    async onOfficerScan() {
      const user = services.auth.user();
      if (!services.auth.isLoggedIn()) {
        toast('请执法人员先登录');
        go('/pages/login-password/index');
        return;
      }
      if (!user || !user.role || user.role.code !== 'officer') {
        toast('仅限执法人员使用');
        return;
      }
      let scanned;
      try {
        scanned = await call('scanCode', { onlyFromCamera: true, scanType: ['qrCode'] });
      } catch (err) {
        if (!isCancel(err)) toast('扫码失败，请重试');
        return;
      }
      try {
        const result = await services.api.officer.scan(tokenFrom(scanned.result));
        handoff.put('scan-result', result);
        go('/pages/scan-result/index');
      } catch (e) {
        // 二维码已失效 etc. shown by the request layer
      }
    },
  },
});
