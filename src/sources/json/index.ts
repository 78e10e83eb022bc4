export { jsonReader } from './reader.js';
export { JsonLineScanner, type JsonScanSink } from './scan.js';
