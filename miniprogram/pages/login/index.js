/**
 * 登录页 (manual §3.2): 个人登录, 法人/船舶用户登录, 个人注册, 法人注册.
 */
const page = require('../../behaviors/page');
const { go } = require('../../utils/nav');

const ENTRIES = {
  personal: '/pages/login-personal/index',
  password: '/pages/login-password/index',
  registerPersonal: '/pages/register-personal/index',
  registerCorporate: '/pages/register-corporate/index',
};

Component({
  behaviors: [page],
  methods: {
    onEntry(e) {
      go(ENTRIES[e.currentTarget.dataset.entry]);
    },
  },
});
