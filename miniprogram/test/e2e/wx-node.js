/**
 * A `wx` for Node 20, enough for the mini program's services/ to talk to a real server:
 * wx.request / wx.uploadFile / wx.downloadFile over fetch (FormData + Blob for multipart),
 * storage in memory, wx.login returning a fresh code, and the development fake of
 * wx.startFacialRecognitionVerify (verifyResult "fake:pass").
 */
const fs = require('fs');
const os = require('os');
const path = require('path');

const MIME = { '.png': 'image/png', '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.pdf': 'application/pdf', '.txt': 'text/plain' };

let seq = 0;

function createNodeWx(options) {
  const o = options || {};
  const tmpDir = o.tmpDir || fs.mkdtempSync(path.join(os.tmpdir(), 'msa-e2e-'));
  const storage = {};
  const toasts = [];

  function parse(text, dataType) {
    if (dataType === 'text') return text;
    try {
      return JSON.parse(text);
    } catch (e) {
      return text;
    }
  }

  return {
    tmpDir,
    toasts,
    storage,
    getStorageSync: (k) => (k in storage ? storage[k] : ''),
    setStorageSync: (k, v) => {
      storage[k] = JSON.parse(JSON.stringify(v));
    },
    removeStorageSync: (k) => {
      delete storage[k];
    },
    showToast: (p) => {
      toasts.push(p.title);
    },
    login: (p) => {
      seq += 1;
      p.success({ code: `e2e${Date.now()}x${seq}` });
    },
    startFacialRecognitionVerify: (p) => p.success({ verifyResult: 'fake:pass', errCode: 0 }),

    request(p) {
      const method = (p.method || 'GET').toUpperCase();
      let body;
      if (p.data !== undefined && method !== 'GET') body = typeof p.data === 'string' ? p.data : JSON.stringify(p.data);
      fetch(p.url, { method, headers: p.header || {}, body, redirect: 'follow' })
        .then(async (res) => {
          const text = await res.text();
          p.success({ statusCode: res.status, data: parse(text, p.dataType), header: Object.fromEntries(res.headers) });
        })
        .catch((err) => p.fail && p.fail({ errMsg: `request:fail ${err.message}` }));
      return { abort() {} };
    },

    uploadFile(p) {
      const listeners = [];
      const task = { onProgressUpdate: (cb) => listeners.push(cb), abort() {} };
      (async () => {
        const bytes = fs.readFileSync(p.filePath);
        const form = new FormData();
        Object.keys(p.formData || {}).forEach((k) => form.append(k, p.formData[k]));
        const type = MIME[path.extname(p.filePath).toLowerCase()] || 'application/octet-stream';
        form.append(p.name, new Blob([bytes], { type }), path.basename(p.filePath));
        const res = await fetch(p.url, { method: 'POST', headers: p.header || {}, body: form });
        listeners.forEach((cb) => cb({ progress: 100, totalBytesSent: bytes.length, totalBytesExpectedToSend: bytes.length }));
        p.success({ statusCode: res.status, data: await res.text() });
      })().catch((err) => p.fail && p.fail({ errMsg: `uploadFile:fail ${err.message}` }));
      return task;
    },

    downloadFile(p) {
      (async () => {
        const res = await fetch(p.url, { headers: p.header || {}, redirect: 'follow' });
        seq += 1;
        const file = path.join(tmpDir, `download-${seq}`);
        fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
        p.success({ statusCode: res.status, tempFilePath: file });
      })().catch((err) => p.fail && p.fail({ errMsg: `downloadFile:fail ${err.message}` }));
      return { onProgressUpdate() {}, abort() {} };
    },

    getFileSystemManager: () => ({ readFileSync: (file, encoding) => fs.readFileSync(file, encoding) }),
  };
}

module.exports = { createNodeWx };
