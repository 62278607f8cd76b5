/**
 * The known options of the io folder's public functions, typed from their option interfaces so a
 * list cannot drift from its interface (see `optionKeys`). Internal: not re-exported. @internal
 */
import { optionKeys } from '../core/options.js';
import type { SafetensorsToTensorsOptions, WriteSafetensorsOptions } from './safetensors.js';

export const SAFETENSORS_TO_TENSORS_KEYS = optionKeys<SafetensorsToTensorsOptions>({ integers: true });

export const WRITE_SAFETENSORS_KEYS = optionKeys<WriteSafetensorsOptions>({ metadata: true });
