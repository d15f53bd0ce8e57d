import { z } from 'zod';
import { atMost, SPEC_LIMITS } from './limits';

export const BUILD_PATTERN = '^\\d+\\.\\d+\\.\\d+-\\d+\\.\\d+\\.\\d+$';

export const targetSchema = z
  .strictObject({
    build: z
      .string()
      .max(SPEC_LIMITS.token, atMost(SPEC_LIMITS.token))
      .regex(new RegExp(BUILD_PATTERN), { error: 'expected an ESXi build like "8.0.3-0.0.24022510"' })
      .describe('ESXi build string the hosts end up on, as in boot.cfg `build=`'),
    payload: z.string().trim().min(1, { error: 'must name the image file' }).max(SPEC_LIMITS.payload, atMost(SPEC_LIMITS.payload)).describe('Location of the image file'),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hexadecimal characters' })
      .transform((hex) => hex.toLowerCase())
      .describe('SHA-256 of the image file, 64 hex characters'),
  })
  .describe('What every selected host is upgraded to');
