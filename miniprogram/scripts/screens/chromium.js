/**
 * Headless Chromium (Debian's `chromium`) driven over the DevTools protocol on a pipe
 * (--remote-debugging-pipe: NUL-separated JSON on fds 3 and 4), no extra packages.
 * The browser resolves no host name: a page that needs the network (a CDN font, a remote
 * image) shows it, and every request it tries is recorded.
 */
const fs = require('fs');
const os = require('os');
const path = require('path');
const { spawn } = require('child_process');

const CANDIDATES = [process.env.CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);

function findChromium() {
  return CANDIDATES.find((c) => fs.existsSync(c)) || null;
}

async function launch() {
  const bin = findChromium();
  if (!bin) throw new Error('Chromium not found: install Debian\'s `chromium` (apt-get install chromium) or set CHROMIUM');
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'msa-screens-chromium-'));
  const proc = spawn(bin, [
    '--headless=new', '--remote-debugging-pipe', '--no-sandbox', '--disable-gpu', '--no-first-run',
    '--no-default-browser-check', '--disable-extensions', '--disable-background-networking', '--disable-sync',
    '--hide-scrollbars', '--mute-audio', '--force-color-profile=srgb', '--font-render-hinting=none',
    '--disable-dev-shm-usage', '--host-resolver-rules=MAP * ~NOTFOUND', `--user-data-dir=${profile}`, 'about:blank',
  ], { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] });
  let stderr = '';
  proc.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-4000);
  });
  const out = proc.stdio[3];
  const input = proc.stdio[4];
  let seq = 0;
  const waiting = new Map();
  const listeners = [];
  let buffer = '';
  input.on('data', (chunk) => {
    buffer += chunk.toString('utf8');
    let end;
    while ((end = buffer.indexOf('\0')) >= 0) {
      const msg = JSON.parse(buffer.slice(0, end));
      buffer = buffer.slice(end + 1);
      if (msg.id && waiting.has(msg.id)) {
        const { resolve, reject, method } = waiting.get(msg.id);
        waiting.delete(msg.id);
        if (msg.error) reject(new Error(`${method}: ${msg.error.message}`));
        else resolve(msg.result);
      } else if (msg.method) listeners.slice().forEach((fn) => fn(msg));
    }
  });
  const exited = new Promise((resolve) => proc.on('exit', resolve));
  exited.then(() => waiting.forEach(({ reject }) => reject(new Error(`chromium exited: ${stderr}`))));

  function send(method, params, sessionId) {
    seq += 1;
    const id = seq;
    const msg = { id, method, params: params || {} };
    if (sessionId) msg.sessionId = sessionId;
    return new Promise((resolve, reject) => {
      waiting.set(id, { resolve, reject, method });
      out.write(`${JSON.stringify(msg)}\0`);
    });
  }

  const { targetId } = await send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await send('Target.attachToTarget', { targetId, flatten: true });
  const page = (method, params) => send(method, params, sessionId);
  const requests = [];
  listeners.push((msg) => {
    if (msg.sessionId === sessionId && msg.method === 'Network.requestWillBeSent') requests.push(msg.params.request.url);
  });
  await page('Page.enable');
  await page('Network.enable');
  await page('Runtime.enable');

  function waitFor(method, timeoutMs) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.splice(listeners.indexOf(fn), 1);
        reject(new Error(`timeout waiting for ${method}`));
      }, timeoutMs || 15000);
      function fn(msg) {
        if (msg.sessionId === sessionId && msg.method === method) {
          clearTimeout(timer);
          listeners.splice(listeners.indexOf(fn), 1);
          resolve(msg.params);
        }
      }
      listeners.push(fn);
    });
  }

  async function evaluate(expression) {
    const res = await page('Runtime.evaluate', { expression, awaitPromise: true, returnByValue: true });
    if (res.exceptionDetails) throw new Error(`in page: ${res.exceptionDetails.exception ? res.exceptionDetails.exception.description : res.exceptionDetails.text}`);
    return res.result.value;
  }

  /**
   * Opens `file` at 375 × 812 CSS px (device pixel ratio 2) and waits for fonts and images.
   * Returns the http(s) URLs the page tried to fetch.
   */
  async function open(file, options) {
    const o = options || {};
    requests.length = 0;
    await page('Emulation.setDeviceMetricsOverride', { width: o.width || 375, height: o.height || 812, deviceScaleFactor: o.scale || 2, mobile: false });
    const loaded = waitFor('Page.loadEventFired');
    await page('Page.navigate', { url: `file://${path.resolve(file)}` });
    await loaded;
    await evaluate('Promise.all([document.fonts.ready, ...[...document.images].map((i) => i.decode().catch(() => null))]).then(() => true)');
    return requests.filter((u) => /^https?:/.test(u));
  }

  /** The whole page as PNG (the viewport grows to the content's height). */
  async function screenshot(file, options) {
    const o = options || {};
    const height = await evaluate('Math.ceil(Math.max(document.documentElement.scrollHeight, document.body.scrollHeight))');
    if (height > (o.height || 812)) {
      await page('Emulation.setDeviceMetricsOverride', { width: o.width || 375, height: Math.min(height, 8000), deviceScaleFactor: o.scale || 2, mobile: false });
      await evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))');
    }
    const { data } = await page('Page.captureScreenshot', { format: 'png', captureBeyondViewport: false });
    fs.writeFileSync(file, Buffer.from(data, 'base64'));
  }

  /** A PNG scaled down to `width` CSS px at 1×, cut at `height`: the README's thumbnails. */
  async function thumbnail(png, file, width, height) {
    const html = `${file}.html`;
    fs.writeFileSync(html, `<body style="margin:0"><img src="file://${path.resolve(png)}" style="display:block;width:${width}px"></body>`);
    await open(html, { width, height, scale: 1 });
    const { data } = await page('Page.captureScreenshot', { format: 'png' });
    fs.writeFileSync(file, Buffer.from(data, 'base64'));
    fs.rmSync(html);
  }

  async function close() {
    try {
      await send('Browser.close');
    } catch (e) {
      // already gone
    }
    let timer;
    await Promise.race([exited, new Promise((r) => {
      timer = setTimeout(r, 3000);
    })]);
    clearTimeout(timer);
    if (proc.exitCode === null) proc.kill('SIGKILL');
    fs.rmSync(profile, { recursive: true, force: true });
  }

  return { open, screenshot, thumbnail, evaluate, close, requests };
}

module.exports = { launch, findChromium };
