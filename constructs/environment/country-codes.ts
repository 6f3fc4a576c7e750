/**
 * ISO 3166-1 alpha-2 codes: the officially assigned ones, plus the user-assigned ranges
 * (AA, QM–QZ, XA–XZ, ZZ) that ISO reserves for private use. The kit's fictional countries and
 * the sandbox use user-assigned codes so that no shipped example impersonates a real government.
 */
const OFFICIALLY_ASSIGNED = (
  'AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ ' +
  'CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR ' +
  'GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO ' +
  'JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR ' +
  'MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO ' +
  'RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV ' +
  'TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW'
).split(' ');

const USER_ASSIGNED = /^(AA|Q[M-Z]|X[A-Z]|ZZ)$/;

export function isCountryCode(code: string): boolean {
  return OFFICIALLY_ASSIGNED.includes(code) || USER_ASSIGNED.test(code);
}

export function isUserAssignedCountryCode(code: string): boolean {
  return USER_ASSIGNED.test(code);
}

/**
 * Words too common in country names to tell two countries apart ("Republic of …", "… Islands").
 * What remains must be shared with a name ISO 3166 (through CLDR, Node's Intl) gives the code.
 */
const COMMON_WORDS = new Set(
  'the of and republic democratic people peoples federal federated state states united kingdom islands island union commonwealth principality grand duchy sultanate territory territories plurinational bolivarian islamic arab socialist sar rep dem st saint north south east west new equatorial central great'.split(
    ' ',
  ),
);

/** Lowercase words without accents: "Côte d’Ivoire" → côte → ["cote", "ivoire"]. */
function words(name: string): string[] {
  return name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((word) => word.length > 1);
}

/** The names of an officially assigned code: in English, French (ISO 3166's languages) and the country's main language. */
export function countryNames(code: string): string[] {
  const language = new Intl.Locale(`und-${code}`).maximize().language;
  const names = new Set<string>();
  for (const locale of ['en', 'fr', language]) {
    for (const style of ['long', 'short'] as const) {
      const name = new Intl.DisplayNames([locale], { type: 'region', style, fallback: 'none' }).of(code);
      if (name) names.add(name);
    }
  }
  return [...names];
}

/**
 * Whether `name` is a name of the country with the officially assigned `code` ("Kenya", "Republic of
 * Kenya", "Deutschland" for DE); user-assigned codes name fictional countries, so any name fits them.
 */
export function countryNameMatches(code: string, name: string): boolean {
  if (isUserAssignedCountryCode(code)) return true;
  const written = new Set(words(name));
  return countryNames(code).some((known) => {
    const all = words(known);
    return all.filter((word) => !COMMON_WORDS.has(word)).some((word) => written.has(word)) || (all.length > 0 && all.every((word) => written.has(word)));
  });
}
