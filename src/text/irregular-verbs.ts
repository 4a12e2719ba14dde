/**
 * Past forms of common irregular English verbs and their base form (grammar, not domain
 * knowledge): a suffix stemmer cannot see that "met" is "meet" or "held" is "hold", and
 * news reports use the past tense that questions ask in the present ("did they meet").
 */
const FORMS = `
meet met | hold held | take took taken | give gave given | make made | say said | go went gone | come came
pay paid | send sent | win won | begin began begun | bring brought | see saw seen | tell told | lead led
build built | buy bought | sell sold | speak spoke spoken | write wrote written | choose chose chosen
grow grew grown | fly flew flown | leave left | keep kept | find found | think thought | seek sought
spend spent | lend lent | stand stood | understand understood | undertake undertook undertaken | become became
break broke broken | rise rose risen | fall fell fallen | draw drew drawn | show showed shown | know knew known
get got gotten | put | set | cut | hit | let | read | run ran | sit sat | sing sang sung | wear wore worn
forgive forgave forgiven | overcome overcame | withdraw withdrew withdrawn | strike struck | sign | hear heard
feel felt | lose lost | mean meant | foresee foresaw foreseen | oversee oversaw overseen | forecast | bear bore borne
`;

/** Irregular past form → base form ("met" → "meet"). */
export const IRREGULAR_PAST: ReadonlyMap<string, string> = new Map(
  FORMS.split(/[|\n]/).filter((group) => group.trim()).flatMap((group) => {
    const [base, ...forms] = group.trim().split(/\s+/);
    return forms.map((form) => [form, base] as [string, string]);
  }),
);
