/**
 * Reading and writing the files a PyTorch / NumPy user has: `.safetensors`, `.npy` and `.npz`, from and to
 * bytes (no file system access, so it runs in browsers too).
 * @module
 */
export * from './safetensors.js';
export * from './npy.js';
export { readNpz } from './npz.js';
