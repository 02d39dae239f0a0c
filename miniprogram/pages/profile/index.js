/**
 * 个人信息 / 法人信息 (manual §3.3.3): GET /me with sensitive fields masked by the server;
 * 修改密码 and 修改手机号码 go through 人脸认证 first; 解除微信绑定 stops this WeChat from signing
 * in to the account by itself.
 */
const page = require('../../behaviors/page');
const services = require('../../services/index');
const { go } = require('../../utils/nav');
const { confirm, toast } = require('../../utils/wxp');

/** [{label, value}] rows of the profile for its role. */
function rowsOf(me) {
  const rows = [];
  const add = (label, value) => {
    if (value) rows.push({ label, value });
  };
  const p = me.personal || {};
  const c = me.corporate || {};
  if (me.corporate) {
    add('单位名称', c.company_name);
    add('统一社会信用代码', c.credit_code);
    add('用户类型', c.kind.label);
    add('经办人', c.operator_name);
    add('经办人身份证号', c.operator_id_number);
  } else if (me.personal) {
    add('姓名', p.name);
    add('身份证号', p.id_number);
  } else {
    add('姓名', me.display_name);
  }
  add('用户名', me.username);
  add('手机号码', me.phone);
  add('角色', me.role.label);
  add('所属机构', me.agency && me.agency.name);
  rows.push({ label: '微信', value: me.wechat_bound ? '已绑定' : '未绑定' });
  return rows;
}

Component({
  behaviors: [page],
  data: { rows: [], wechatBound: false, loading: true },
  methods: {
    async onShow() {
      try {
        const me = await services.auth.refreshUser();
        const role = me.role && me.role.code;
        wx.setNavigationBarTitle({ title: role === 'corporate' ? '法人信息' : role === 'personal' ? '个人信息' : '用户信息' });
        this.setData({ rows: rowsOf(me), wechatBound: me.wechat_bound });
      } catch (e) {
        // shown by the request layer
      } finally {
        this.setData({ loading: false });
      }
    },
    async onChangePassword() {
      if (await confirm('修改密码需先进行人脸认证，是否继续？')) go('/pages/face/index?purpose=change_password');
    },
    async onUnbindWechat() {
      if (!(await confirm('解除后，本微信将不再自动登录该账号，需重新登录。确定解除微信绑定吗？', '解除微信绑定'))) return;
      try {
        await services.api.me.unbindWechat();
        const me = await services.auth.refreshUser();
        this.setData({ rows: rowsOf(me), wechatBound: me.wechat_bound });
        toast('已解除微信绑定', 'success');
      } catch (e) {
        // shown by the request layer
      }
    },
    async onChangePhone() {
      if (await confirm('修改手机号码需先进行人脸认证，是否继续？')) go('/pages/face/index?purpose=change_phone');
    },
  },
});
