export { jsonReader } from './reader.js';
export { JsonLineScanner, JsonStringReader, type JsonScanSink, DECLINE, INVALID, jsonEscape, skipJsonString } from './scan.js';
