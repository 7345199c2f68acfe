/**
 * Text normalisation for lexical retrieval: lower-case, accents off, a light English/Dutch stemmer
 * and stop words. Deliberately simple and deterministic, so indexing and querying always agree.
 */
const STOP = new Set(
  (
    'a an the and or but if of to in on at by for with from as is are was were be been being do does did done have has had ' +
    'i me my we our you your it its this that these those there here what which who whom how when where why can could will ' +
    'would should shall may might must not no yes so than then too very just about into over under up down out again also any ' +
    'some all each both few more most other such own same only am us they them their he she his her hi hello please thanks ' +
    'de het een en of in op te van voor met is zijn ik je jij u wij we mijn jullie dat die dit wat hoe waar wanneer niet geen ' +
    'er aan bij om ook nog maar als dan naar ' +
    // Question filler: how customers ask, not what they ask about.
    'usually usual normally typically take takes get gets need want know tell like'
  ).split(' '),
);

export function normalise(text: string): string {
  return text
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[’']/g, '');
}

/** A light suffix stripper: plural, -ing, -ed, -ly, -ies; Dutch -en/-s. Keeps numbers intact. */
export function stem(word: string): string {
  if (/\d/.test(word) || word.length <= 3) return word;
  for (const [suffix, repl] of [
    ['ies', 'y'],
    ['ing', ''],
    ['ed', ''],
    ['ly', ''],
    ['es', ''],
    ['en', ''],
    ['s', ''],
  ] as const) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) return word.slice(0, -suffix.length) + repl;
  }
  return word;
}

/** Words as they appear (numbers with their separators kept: 4.95, 14:00, 2-4). */
export function words(text: string): string[] {
  return normalise(text).match(/\d+(?:[.,:–-]\d+)*%?|[a-z]+/g) ?? [];
}

export function terms(text: string): string[] {
  return words(text)
    .filter((w) => !STOP.has(w))
    .map(stem);
}
