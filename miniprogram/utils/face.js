/**
 * 人脸识别: open a face session for a purpose, run WeChat's face verification for the same
 * person, and return the proof {face_session_id, verify_result} that the login, registration,
 * password, phone and account-deletion endpoints accept.
 */
const config = require('../config');
const { call } = require('./wxp');

const METHODS = [
  { value: 'reflective', label: '反光识别', help: '将摄像头对准自己并尽量保持不动' },
  { value: 'read_digits', label: '读数识别', help: '将摄像头对准自己，按提示读出屏幕上的数字' },
];

// Used only when the server does not say which check to run (WeChat: 0 读数字/自动, 2 屏幕闪烁).
const DEFAULT_CHECK_ALIVE_TYPE = { read_digits: 0, reflective: 2 };

class FaceError extends Error {
  constructor(message, cause) {
    super(message);
    this.name = 'FaceError';
    this.title = message;
    this.cause = cause;
  }
}

/**
 * @param {object} o {api, purpose, name, idNumber, method, consent, wx?, fake?}; `consent` is the
 *   {purpose: 'face_verification', version} the user agreed to (utils/consent), without which the
 *   server refuses to start.
 * @returns {Promise<{face_session_id: string, verify_result: string}>}
 */
async function verifyFace(o) {
  const session = await o.api.auth.faceSession({
    purpose: o.purpose,
    name: o.name,
    id_number: o.idNumber,
    method: o.method,
    consent: o.consent,
  });
  const fake = o.fake !== undefined ? o.fake : config.devFakeFace;
  if (fake) return { face_session_id: session.face_session_id, verify_result: 'fake:pass' };
  const checkAliveType = session.check_alive_type !== undefined && session.check_alive_type !== null
    ? session.check_alive_type
    : DEFAULT_CHECK_ALIVE_TYPE[o.method];
  let res;
  try {
    res = await call('startFacialRecognitionVerify', {
      name: o.name,
      idCardNumber: o.idNumber,
      checkAliveType,
    }, o.wx);
  } catch (err) {
    throw new FaceError('人脸识别未完成，请重试', err);
  }
  if (!res || !res.verifyResult) throw new FaceError('人脸识别未通过，请重试', res);
  return { face_session_id: session.face_session_id, verify_result: res.verifyResult };
}

module.exports = { verifyFace, FaceError, METHODS };
