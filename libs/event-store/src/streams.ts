/** Stream ids are `<category>-<entity id>`; each event type belongs to one category (its catalog says which). */
export const streamId = (category: string, entityId: string): string => `${category}-${entityId}`;

/** The category is the part before the first dash; undefined unless both it and the id after it are non-empty. */
export function streamCategory(streamId: string): string | undefined {
  const dash = streamId.indexOf('-');
  return dash > 0 && dash < streamId.length - 1 ? streamId.slice(0, dash) : undefined;
}

/** The id after the category prefix (`host-esx-01` → `esx-01`). */
export function streamEntityId(streamId: string): string {
  return streamId.slice(streamId.indexOf('-') + 1);
}
