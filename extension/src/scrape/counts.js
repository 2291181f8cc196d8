// Counts as X prints them in the page's language: "1,234" and "12.3K" (en), "6.9万" (zh, ja),
// "1,2 Mio." and "1.234" (de), "12,3 mil" (pt, es), "1 234" (fr, ru), "١٢٫٣ ألف" (ar).
//
// The separators and the compact suffixes of each language come from the platform's own locale
// data (Intl, CLDR), not from a list typed here. A text that does not read as a count in the page's
// language gives null: a missing number costs less than a wrong one ("1.234" is 1234 in German
// and no count at all in English).

/** Largest believable follower count: more than there are accounts on X is a misreading. */
export const MAX_COUNT = 10_000_000_000;

const DEFAULT_LANG = "en";
const SPACES = /[\s\u00a0\u202f\u2009]+/g;
// The Arabic decimal and group marks (ar, fa, ur, ps), read as "." and ",".
const MARKS = [[/\u066b/g, "."], [/\u066c/g, ","]];
const OTHER_DIGIT = /[^\P{Nd}0-9]/gu;
let digitValues; // digit of any script the platform formats numbers in ("۴", "৪", "४") → "4", built on first use
const escape = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

const numberings = new Map(); // lang → {pattern, suffixes} | null

// The languages X's interface is offered in: their compact suffixes ("K", "mil", "Mio.", "万") are
// the magnitudes a count on X can carry.
const X_LANGUAGES = ["ar", "bn", "ca", "cs", "da", "de", "el", "en", "en-GB", "es", "eu", "fa", "fi", "fil", "fr", "ga", "gl", "gu",
  "he", "hi", "hr", "hu", "id", "it", "ja", "kn", "ko", "mr", "ms", "nb", "nl", "pl", "pt", "ro", "ru", "sk", "sr", "sv", "ta", "th",
  "tr", "uk", "ur", "vi", "zh", "zh-Hant"];
let magnitudeWord; // ^ ?(any language's compact suffix), built on first use

/** Compact suffixes of `lang` (lowercase, as printed) → the multiplier each stands for. */
function compactSuffixes(lang) {
  const compact = new Intl.NumberFormat(lang, { notation: "compact", compactDisplay: "short", maximumFractionDigits: 0 });
  const suffixes = new Map();
  for (let exponent = 3; exponent <= 12; exponent += 1) {
    const parts = compact.formatToParts(10 ** exponent);
    const suffix = parts.filter((p) => p.type === "compact").map((p) => p.value).join("").trim();
    const shown = Number(westernized(parts.filter((p) => p.type === "integer").map((p) => p.value).join("")));
    if (suffix && shown > 0 && !suffixes.has(suffix.toLowerCase())) suffixes.set(suffix.toLowerCase(), 10 ** exponent / shown);
  }
  return suffixes;
}

const alternation = (words) => Array.from(words).sort((a, b) => b.length - a.length).map(escape).join("|");

/**
 * Whether `rest`, the text right after a number, opens with a magnitude of some language of X's
 * ("14K" on a German page, "3 mil" on a Catalan one): the number is then a part of a count this
 * language cannot read, not a count. A label glued to the number ("1,234Following") is no magnitude.
 */
function opensWithMagnitude(rest) {
  if (!/^ ?\p{L}/u.test(rest)) return false;
  if (magnitudeWord === undefined) {
    const words = new Set();
    for (const lang of X_LANGUAGES) {
      try {
        for (const suffix of compactSuffixes(lang).keys()) words.add(suffix.replace(/\.$/, ""));
      } catch {
        // A language this platform lacks adds no words.
      }
    }
    magnitudeWord = words.size ? new RegExp(`^ ?(?:${alternation(words)})\\.?`, "iu") : null;
  }
  const m = magnitudeWord?.exec(rest);
  if (!m) return false;
  // The word must end there: "Members" and "J’aime" open with no magnitude, nor does a word of an uncased
  // script that starts like one; a capital glued to a cased one ends it ("KFollowers" opens with "K"), and
  // a Chinese or Japanese one needs no end ("69万粉丝": those scripts put no space between words).
  const next = rest.slice(m[0].length);
  return !/^[\p{L}\p{M}'’]/u.test(next) || /\p{Script=Han}$/u.test(m[0])
    || (/^\p{Lu}/u.test(next) && /[\p{Lu}\p{Ll}]\.?$/u.test(m[0]));
}

/** The number format of a language: its separators, its compact suffixes → multipliers, one pattern. */
function numberingOf(lang) {
  if (numberings.has(lang)) return numberings.get(lang);
  let numbering = null;
  try {
    if (Intl.NumberFormat.supportedLocalesOf([lang]).length) {
      const plain = new Intl.NumberFormat(lang, { useGrouping: true }).formatToParts(12345.6);
      // As the text is read (westernized): Persian "٬" and "٫" are "," and ".".
      const group = westernized(plain.find((p) => p.type === "group")?.value ?? ",");
      const decimal = westernized(plain.find((p) => p.type === "decimal")?.value ?? ".");
      const suffixes = compactSuffixes(lang);
      const alternatives = alternation(suffixes.keys());
      const g = escape(group);
      const d = escape(decimal);
      numbering = {
        suffixes,
        grouped: new RegExp(`^\\d{1,3}(?:${g}\\d{3})+$`),
        pattern: new RegExp(
          `(?<![\\p{L}\\p{N}.,\\-−]|\\p{N}[.,'’ ])(\\d{1,3}(?:${g}\\d{3})+|\\d+)(?:${d}(\\d+))?(?!\\d|[.,'’ ]\\d|[eE][+\\-]?\\d)(?: ?(${alternatives || "(?!)"})(?![\\p{Script=Latin}\\p{Script=Cyrillic}]))?`,
          "iu",
        ),
        group,
      };
    }
  } catch {
    numbering = null;
  }
  numberings.set(lang, numbering);
  return numbering;
}

function oneSpace(text) {
  return text.replace(SPACES, " ");
}

/** `text` with one kind of space, the Arabic marks as "." and ",", and every script's digits as 0-9. */
function westernized(text) {
  let t = oneSpace(text);
  for (const [mark, as] of MARKS) t = t.replace(mark, as);
  if (!OTHER_DIGIT.test(t)) return t;
  OTHER_DIGIT.lastIndex = 0;
  if (digitValues === undefined) {
    digitValues = new Map();
    let systems = [];
    try {
      systems = Intl.supportedValuesOf("numberingSystem");
    } catch {
      // An older platform: only 0-9 are digits.
    }
    for (const system of systems) {
      try {
        const format = new Intl.NumberFormat(`en-u-nu-${system}`, { useGrouping: false });
        for (let d = 0; d <= 9; d += 1) {
          const shown = format.format(d);
          if (/^\p{Nd}$/u.test(shown) && !digitValues.has(shown)) digitValues.set(shown, String(d));
        }
      } catch {
        // A numbering system this platform names but cannot format in.
      }
    }
  }
  return t.replace(OTHER_DIGIT, (c) => digitValues.get(c) ?? c);
}

/** The page's language as a BCP 47 tag, or the default when the page says none. */
export function langOf(root) {
  const doc = root?.ownerDocument ?? root;
  const lang = (doc?.documentElement?.getAttribute?.("lang") || "").trim();
  return lang || DEFAULT_LANG;
}

/**
 * A count in the page's language, as a non-negative integer, or null when the text holds no count
 * that reads unambiguously in that language.
 * @param {string} text e.g. "6.9万 粉丝"
 * @param {string} [lang] the page's `lang` ("en" when absent)
 */
export function parseCount(text, lang = DEFAULT_LANG) {
  if (typeof text !== "string") return null;
  const numbering = numberingOf(typeof lang === "string" && lang ? lang : DEFAULT_LANG);
  if (!numbering) return null;
  const t = westernized(text).trim();
  const m = numbering.pattern.exec(t);
  if (!m) return null;
  const [, whole, fraction, suffix] = m;
  const multiplier = suffix ? numbering.suffixes.get(suffix.toLowerCase()) : 1;
  if (!multiplier) return null;
  if (!suffix && fraction !== undefined) return null; // "1.5" alone is no count
  if (!suffix && opensWithMagnitude(t.slice(m.index + m[0].length))) return null;
  if (suffix && numbering.grouped.test(whole) && whole.includes(numbering.group)) return null; // "1,234K": no such form
  const value = Math.round(Number(`${whole.split(numbering.group).join("")}.${fraction ?? "0"}`) * multiplier);
  return Number.isSafeInteger(value) && value >= 0 && value <= MAX_COUNT ? value : null;
}
