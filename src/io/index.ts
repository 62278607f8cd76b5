/**
 * `rnn-lyap` io: bytes in and out (safetensors); no Node built-ins.
 * @packageDocumentation
 */
export { readSafetensors, writeSafetensors, type IoTensor } from './safetensors.js';
