import { z } from 'zod';
import { atMost, SPEC_LIMITS } from './limits';

export const BUILD_PATTERN = '^\\d+\\.\\d+\\.\\d+-\\d+\\.\\d+\\.\\d+$';

/** Bytes a base64 text decodes to (no Buffer: this library runs in workflows and browsers too). */
const base64Bytes = (text: string) => Math.floor((text.length * 3) / 4) - (text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0);

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
    signature: z
      .string({ error: 'expected a base64 Ed25519 signature' })
      .trim()
      .max(SPEC_LIMITS.signature, atMost(SPEC_LIMITS.signature))
      .regex(/^[A-Za-z0-9+/]+={0,2}$/, { error: 'expected base64 (the 64-byte Ed25519 signature of the SHA-256 digest)', abort: true })
      .refine((text) => base64Bytes(text) === 64, { error: (issue) => `decodes to ${base64Bytes(String(issue.input))} bytes; an Ed25519 signature has 64` })
      .optional()
      .describe("Base64 Ed25519 signature of the image's SHA-256 digest (the 32 bytes); workers with trusted keys stage only images signed by one of them"),
    allowDowngrade: z
      .strictObject({
        reason: z.string().trim().min(1, { error: 'say why the downgrade is needed' }).max(SPEC_LIMITS.reason, atMost(SPEC_LIMITS.reason)).describe('Recorded with each staged image'),
      })
      .optional()
      .describe('Allow staging a build older than the one a host runs (refused otherwise), for this reason'),
  })
  .describe('What every selected host is upgraded to');
