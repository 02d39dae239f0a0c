/** Signs the app's session in as a given role (tokens as the API returns them). */
const services = require('../../services/index');

const CREATED = '2026-01-01T00:00:00Z';

const USERS = {
  personal: { id: 'u-p', role: { code: 'personal', label: '个人用户' }, display_name: '张*', username: null, phone: '138****5678',
    personal: { name: '张*', id_number: '1****************X' }, wechat_bound: false, created_at: CREATED },
  corporate: { id: 'u-c', role: { code: 'corporate', label: '法人用户' }, display_name: '示例航运有限公司', username: 'demo-corp',
    phone: '139****0000', corporate: { company_name: '示例航运有限公司', credit_code: '91310115MA1K3Y8Q5Q', kind: { code: 'company', label: '法人用户' },
      operator_name: '李*', operator_id_number: '3****************4' }, wechat_bound: false, created_at: CREATED },
  officer: { id: 'u-o', role: { code: 'officer', label: '执法人员' }, display_name: '执法人员', username: 'demo-officer', phone: null,
    agency: { code: 'SH', name: '上海海事局', short_name: '上海局', level: 'direct_bureau', level_label: '直属海事局' }, wechat_bound: false,
    created_at: CREATED },
};

function signIn(role) {
  const user = USERS[role || 'personal'];
  services.tokens.save({ access_token: `access-${user.id}`, refresh_token: `refresh-${user.id}`, expires_in: 900, user });
  return user;
}

module.exports = { signIn, USERS };
