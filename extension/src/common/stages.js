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
  return (await loadVocabulary(runtime)).stages;
}

const LABELLED = /^[a-z][a-z0-9_-]*$/;

/** id -> label of a stages.json list of {id, label, ...}; throws on anything unexpected. */
function labelled(doc, list) {
  if (!Array.isArray(doc[list]) || doc[list].length === 0) throw new Error(`stages.json has no ${list} list`);
  return doc[list].map((item, index) => {
    const { id, label } = item ?? {};
    if (typeof id !== "string" || !LABELLED.test(id) || typeof label !== "string" || label === "") {
      throw new Error(`stages.json: ${list}[${index}] needs an id and a label`);
    }
    return Object.freeze({ ...item });
  });
}

/** The cadences and snoozes offered in one click (the companion applies the rest of keep_in_touch). */
function keepInTouch(doc) {
  const k = doc.keep_in_touch ?? {};
  const offers = (list) => (Array.isArray(list) ? list : []).filter((o) => Number.isInteger(o?.days) && typeof o.label === "string")
    .map((o) => Object.freeze({ days: o.days, label: o.label }));
  return { cadences: Object.freeze(offers(k.cadences)), snoozes: Object.freeze(offers(k.snoozes)) };
}

/** The colours a label may have: id -> "#rrggbb" (unknown ones are left out, and shown without a colour). */
function labelColours(doc) {
  const colours = Array.isArray(doc.labels?.colours) ? doc.labels.colours : [];
  return Object.freeze(Object.fromEntries(colours.filter((c) => typeof c?.id === "string" && COLOUR.test(c?.hex ?? ""))
    .map((c) => [c.id, c.hex])));
}

/**
 * Everything the badges and the overlay name: stages, outcome tags, label colours, note fields and
 * interaction kinds, from one stages.json document.
 */
export function parseVocabulary(doc) {
  const stages = parseStages(doc);
  const tags = labelled(doc, "outcome_tags");
  const noteFields = labelled(doc, "note_fields");
  const kinds = labelled(doc, "interaction_kinds");
  return Object.freeze({
    stages,
    tags,
    tagLabels: Object.freeze(Object.fromEntries(tags.map((t) => [t.id, t.label]))),
    noteFields,
    kinds: Object.freeze(Object.fromEntries(kinds.map((k) => [k.id, k]))),
    keepInTouch: Object.freeze(keepInTouch(doc)),
    labelColours: labelColours(doc),
  });
}

/** The vocabulary bundled with the extension (extension pages and the background only). */
export async function loadVocabulary(runtime) {
  const response = await fetch(runtime.getURL(STAGES_PATH));
  if (!response.ok) throw new Error(`cannot read ${STAGES_PATH}: HTTP ${response.status}`);
  return parseVocabulary(await response.json());
}
