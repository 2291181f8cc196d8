// Stage names and colours come from shared/stages.json, which the build copies from
// ../shared_schema/stages.json: the one source shared with the companion. Never copy values here.

export const STAGES_PATH = "shared/stages.json";

const COLOUR = /^#[0-9A-Fa-f]{6}$/;

/**
 * Check the shape of a stages.json document and return its stages, in id order.
 * Throws on anything unexpected, so a broken build shows up at once instead of as wrong colours.
 * @returns {{id: number, key: string, name: string, description: string, colour: string}[]}
 */
export function parseStages(doc) {
  if (typeof doc !== "object" || doc === null || !Array.isArray(doc.stages) || doc.stages.length === 0) {
    throw new Error("stages.json has no stages list");
  }
  return doc.stages.map((stage, index) => {
    const { id, key, name, description, colour } = stage ?? {};
    if (id !== index) throw new Error(`stages.json: stage ${index} has id ${JSON.stringify(id)}`);
    for (const [field, value] of Object.entries({ key, name, description })) {
      if (typeof value !== "string" || value === "") throw new Error(`stages.json: stage ${index} has no ${field}`);
    }
    if (typeof colour !== "string" || !COLOUR.test(colour)) throw new Error(`stages.json: stage ${index} has a bad colour`);
    return Object.freeze({ id, key, name, description, colour });
  });
}

/** Load the stages bundled with the extension (extension pages and the background only). */
export async function loadStages(runtime) {
  const response = await fetch(runtime.getURL(STAGES_PATH));
  if (!response.ok) throw new Error(`cannot read ${STAGES_PATH}: HTTP ${response.status}`);
  return parseStages(await response.json());
}
