/* Runs before each test file: a fresh mock `wx` and the page stack helper of the mini program. */
const { createWxMock } = require('./wx-mock');

global.wx = createWxMock();
global.getCurrentPages = jest.fn(() => []);
global.getApp = jest.fn(() => ({ globalData: {} }));

