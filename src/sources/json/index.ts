export { jsonReader } from './reader.js';
