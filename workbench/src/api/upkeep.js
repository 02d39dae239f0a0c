// 数据维护 of the system administrator: the draft of the dataset files, its diff, publishing and
// the versions (/admin/dataset; only a sysadmin is let in).
import { deleteCall, getJson, postJson, putJson, query } from './client';

const base = '/admin/dataset';
const file = (name) => `${base}/draft/files/${encodeURIComponent(name)}`;
const record = (name, key) => `${file(name)}/records/${encodeURIComponent(key)}`;

export const upkeep = {
  draft: () => getJson(`${base}/draft`),
  records: (name) => getJson(file(name)),
  save: (name, key, body) => putJson(record(name, key), body),
  remove: (name, key) => deleteCall(record(name, key)),
  discard: () => deleteCall(`${base}/draft`),
  diff: () => getJson(`${base}/draft/diff`),
  publish: (body) => postJson(`${base}/draft/publish`, body),
  versions: (params = {}) => getJson(`${base}/versions${query(params)}`),
  versionDiff: (number) => getJson(`${base}/versions/${encodeURIComponent(number)}/diff`),
  cancel: (number) => postJson(`${base}/versions/${encodeURIComponent(number)}/cancel`),
};

// The roles of the workbench: staff decide applications, the system administrator keeps the data.
export const STAFF = 'staff';
export const SYSADMIN = 'sysadmin';
export const WORKBENCH_ROLES = [STAFF, SYSADMIN];

/** The route each role starts at: staff at their queue, the system administrator at 机构维护. */
export function homeOf(role) {
  return role === SYSADMIN ? 'upkeep-agencies' : 'queue';
}

export const LEVELS = [
  { value: 'ministry_bureau', label: '部海事局' },
  { value: 'direct_bureau', label: '直属海事局' },
  { value: 'branch_bureau', label: '分支海事局' },
  { value: 'office', label: '海事处' },
];
export const levelLabel = (value) => (LEVELS.find((level) => level.value === value) || {}).label || value;
// A unit sits one level below its parent.
export const CHILD_LEVEL = { ministry_bureau: 'direct_bureau', direct_bureau: 'branch_bureau', branch_bureau: 'office' };
