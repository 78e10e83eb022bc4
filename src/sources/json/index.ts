export { jsonReader } from './reader.js';
export { JsonLineScanner, type JsonScanSink, DECLINE, INVALID, jsonEscape, skipJsonString } from './scan.js';
