import { getJson, query } from './client';

/** 统计分析 of the caller's agency subtree: `{ period_from, period_to, agency_code, item_code }`. */
export const statistics = (filters) => getJson(`/staff/statistics${query(filters)}`);
