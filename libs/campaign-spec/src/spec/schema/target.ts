import { z } from 'zod';

export const BUILD_PATTERN = '^\\d+\\.\\d+\\.\\d+-\\d+\\.\\d+\\.\\d+$';

export const targetSchema = z
  .strictObject({
    build: z
      .string()
      .regex(new RegExp(BUILD_PATTERN), { error: 'expected an ESXi build like "8.0.3-0.0.24022510"' })
      .describe('ESXi build string the hosts end up on, as in boot.cfg `build=`'),
    payload: z.string().trim().min(1, { error: 'must name the image file' }).describe('Location of the image file'),
    sha256: z
      .string()
      .regex(/^[0-9a-fA-F]{64}$/, { error: 'expected 64 hexadecimal characters' })
      .transform((hex) => hex.toLowerCase())
      .describe('SHA-256 of the image file, 64 hex characters'),
  })
  .describe('What every selected host is upgraded to');
