/**
 * 上传材料: choose an image (wx.chooseMedia) or a file from a WeChat chat
 * (wx.chooseMessageFile) and upload it to 我的材料. Shared by the 新增材料 page and the
 * material picker of the online forms (手机上传).
 */
const { call, isCancel } = require('./wxp');
const { IDENTITY_DOCUMENTS, ensureAccountConsent } = require('./consent');

const SOURCES = [
  { value: 'image', label: '上传图片' },
  { value: 'file', label: '上传文件' },
];

/** Resolves {path, name, size} or null when the user cancels. */
async function chooseFile(source, w) {
  try {
    if (source === 'file') {
      const res = await call('chooseMessageFile', { count: 1, type: 'all' }, w);
      const f = res.tempFiles[0];
      return { path: f.path, name: f.name, size: f.size };
    }
    const res = await call('chooseMedia', { count: 1, mediaType: ['image'], sourceType: ['album', 'camera'] }, w);
    const f = res.tempFiles[0];
    const ext = (String(f.tempFilePath).match(/\.[a-zA-Z0-9]+$/) || [''])[0];
    return { path: f.tempFilePath, name: `图片${ext}`, size: f.size };
  } catch (err) {
    if (isCancel(err)) return null;
    throw err;
  }
}

/**
 * Uploads a chosen file; `name` (optional) is the material's name shown in 我的材料, `kind`
 * `identity_document` marks an identity document (the account's consent must be in force).
 */
function uploadMaterial(api, file, name, onProgress, kind) {
  return api.materials.upload({ filePath: file.path, name: name || file.name, kind, onProgress });
}

/**
 * Choose then upload; resolves the created material or null when cancelled. With
 * `identityDocument` the user first agrees to the 身份证明材料个人信息处理规则 (or declines: null).
 */
async function chooseAndUpload(api, source, options) {
  const o = options || {};
  if (o.identityDocument && !(await ensureAccountConsent(api, IDENTITY_DOCUMENTS, o.wx))) return null;
  const file = await chooseFile(source, o.wx);
  if (!file) return null;
  return uploadMaterial(api, file, o.name, o.onProgress, o.identityDocument ? 'identity_document' : undefined);
}

/** MaterialRead says whether the file is an image and its type (pdf, jpg, docx…). */
function isImage(material) {
  return material.is_image === true;
}

function fileTypeOf(material) {
  return material.file_type || undefined;
}

/** 查看材料: images open in the previewer, documents in wx.openDocument. */
async function openMaterial(api, material, w) {
  const path = await api.materials.download(material.id);
  if (isImage(material)) return call('previewImage', { urls: [path], current: path }, w);
  const params = { filePath: path, showMenu: true };
  const fileType = fileTypeOf(material);
  if (fileType) params.fileType = fileType;
  return call('openDocument', params, w);
}

module.exports = { SOURCES, chooseFile, uploadMaterial, chooseAndUpload, isImage, openMaterial };
