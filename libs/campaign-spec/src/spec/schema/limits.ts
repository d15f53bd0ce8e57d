// The longest value each free-text field of a spec takes, and the longest lists: a spec
// is read by the API from anyone with a token, and its values are echoed in plans,
// errors and events, so none may be unbounded. Generous for real fleets.
export const SPEC_LIMITS = {
  description: 2_000,
  /** A path or URL of the image file. */
  payload: 4_096,
  /** A host's name or id: a DNS name's maximum. */
  hostRef: 253,
  cluster: 128,
  /** Host names, waivers: a whole fleet named one by one. */
  hostRefs: 10_000,
  clusters: 1_000,
  labels: 64,
  labelKey: 63,
  labelValue: 253,
  waves: 100,
  checks: 64,
  /** A build, a duration, a quantity: short by nature. */
  token: 64,
  schemaRef: 2_048,
  /** A base64 Ed25519 signature is 88 characters. */
  signature: 128,
  /** Why a policy is waived (a downgrade), recorded in events. */
  reason: 500,
  windows: 32,
  gates: 32,
  /** A PromQL query. */
  query: 2_000,
} as const;

export const atMost = (n: number) => ({ error: `at most ${n.toLocaleString('en-US')} characters` });
export const atMostEntries = (n: number) => ({ error: `at most ${n.toLocaleString('en-US')} entries` });
