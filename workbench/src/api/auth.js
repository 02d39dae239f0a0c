import { postJson } from './client';

const open = { auth: false };

export const auth = {
  loginPassword: (username, password) => postJson('/auth/login/password', { username, password }, open),
  changeExpiredPassword: (ticket, newPassword) =>
    postJson('/auth/password/expired', { ticket, new_password: newPassword }, open),
  secondFactor: (ticket, code) => postJson('/auth/login/second-factor', { ticket, code }, open),
  startEnrolment: (ticket) => postJson('/auth/second-factor/enrolment', { ticket }, open),
  confirmEnrolment: (ticket, code) => postJson('/auth/second-factor/enrolment/confirm', { ticket, code }, open),
  refresh: (refreshToken) => postJson('/auth/token/refresh', { refresh_token: refreshToken }, open),
};

export const signOut = () => postJson('/auth/logout');
