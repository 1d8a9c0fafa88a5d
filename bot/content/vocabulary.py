"""Safeguarding vocabulary: one list feeds the spaCy entity ruler and Rasa's synonyms.

Each entity maps a canonical value to the ways practitioners write it. Matching
is case-insensitive, with straight or curly apostrophes; when phrases overlap the
longest one wins.

Three kinds of words say who is typing and about which child:
- PRACTITIONER_ROLES name a role ("DSL", "social worker"). A name alone is only a mention
  ("tell the social worker"): it says who is typing only in a self-description ("I'm the
  DSL", "as a foster carer", "PC here", "Foster carer." at the start of a message). The
  words that make one are SELF_BEFORE, SELF_QUALIFIERS and SELF_AFTER, read by
  bot.nlu.situation_entities.
- SELF_DESCRIPTIONS say who is typing by themselves ("my foster son", "our pupil").
- CARE_STATUSES and CONCERNS describe the child and the worry.
"""
from __future__ import annotations

from typing import Dict, List

PRACTITIONER_ROLES: Dict[str, List[str]] = {
    "police": [
        "police", "the police", "police officer", "police officers", "officer", "pc", "pcso", "dc", "ds",
        "detective", "detective constable", "detective sergeant", "sergeant", "police sergeant",
        "custody sergeant", "inspector", "police inspector", "duty inspector", "constable", "police constable",
        "response officer", "neighbourhood officer", "cop", "police force", "misper officer",
        "missing person coordinator", "missing persons coordinator", "mispers coordinator",
        "misper coordinator", "missing coordinator", "missing from home coordinator", "btp officer",
        "police call handler",
    ],
    "social_care": [
        "social worker", "sw", "social care", "children's social care", "childrens social care", "csc",
        "social services", "children's services", "childrens services", "iro", "independent reviewing officer",
        "team manager", "leaving care worker", "leaving care pa", "personal adviser", "personal advisor", "pa",
        "mash worker", "mash social worker", "family support worker", "duty social worker",
        "child protection social worker", "cp social worker", "children's social worker",
        "childrens social worker", "senior practitioner", "advanced practitioner", "practice manager",
        "early help worker", "family worker", "social work", "placing social worker", "placing sw",
    ],
    "carer": [
        "foster carer", "foster carers", "foster parent", "foster mum", "foster dad", "foster mother",
        "foster father", "kinship carer", "kinship foster carer", "family and friends carer", "connected carer",
        "connected person carer", "residential worker",
        "residential care worker", "residential support worker", "residential manager",
        "residential home manager", "residential staff", "residential keyworker", "residential key worker",
        "rsw", "care worker", "night care worker", "carer", "key worker", "keyworker", "home manager",
        "children's home manager", "childrens home manager", "registered manager", "deputy manager",
        "children's home worker", "childrens home worker", "children's home staff", "childrens home staff",
        "support worker", "waking night", "waking night worker", "shift leader",
        "waking night staff", "night waking staff", "waking staff",
        # not "residential" or "resi" alone: a school's residential trip is a "resi" too
        "resi worker", "resi staff", "resi manager", "resi support worker", "resi team leader",
        "residential team leader", "residential senior", "senior residential worker", "residential deputy",
    ],
    "school": [
        "teacher", "dsl", "designated safeguarding lead", "deputy dsl", "ddsl", "assistant dsl",
        "deputy designated safeguarding lead", "safeguarding lead", "school safeguarding lead",
        "designated teacher", "head teacher", "headteacher", "head", "head of year", "year head",
        "pastoral lead", "pastoral manager", "pastoral worker", "school", "senco", "attendance officer",
        "school attendance officer", "attendance lead", "attendance manager",
        "education welfare officer", "ewo", "teaching assistant", "form tutor", "class teacher",
        "school staff", "college", "academy", "virtual school", "virtual school head", "school dsl",
    ],
    "health": [
        "gp", "school nurse", "nurse", "health visitor", "hv", "doctor", "paediatrician",
        "community paediatrician", "camhs", "camhs worker", "camhs clinician", "midwife", "health", "nhs",
        "practice nurse", "ward nurse", "staff nurse", "ward sister", "a&e nurse", "a&e sister", "a&e doctor",
        "ed nurse", "ed doctor", "paediatric nurse", "paeds nurse", "named nurse", "designated nurse",
        "safeguarding nurse", "health professional", "clinician", "mental health nurse", "psychiatrist",
        "hospital safeguarding team", "paeds ward nurse", "paediatric ward nurse", "ward staff", "a&e staff",
        "ed staff", "camhs practitioner", "camhs nurse", "camhs therapist", "gp receptionist",
    ],
    "youth_justice": [
        "yos", "yot", "yjs", "youth offending", "youth offending service", "youth offending team",
        "youth justice", "youth justice service", "youth justice worker", "yos worker", "yot worker",
        "yjs worker", "yos case manager", "yot case manager", "yjs case manager", "youth offending officer",
        "youth offending worker", "yos officer", "yot officer", "yjs officer", "youth justice officer",
        "yos caseworker", "yot caseworker",
    ],
    "edt": [
        "edt worker", "edt social worker", "emergency duty team worker", "emergency duty social worker",
        "out of hours social worker", "out-of-hours social worker", "edt manager",
        "edt duty worker", "edt duty social worker", "duty edt worker", "edt duty manager", "edt duty",
        "on edt",
    ],
}
# Police ranks written before the writer's surname at the start of a message ("PC Ashworth, response.").
RANKS = frozenset({"pc", "pcso", "ds", "dc", "sergeant", "police sergeant", "inspector", "detective",
                   "detective constable", "detective sergeant", "constable", "police constable"})
# Values only a button gives: the walkthrough's "Other" role.
OTHER_ROLE = "other"

# Phrases that say who is typing without a self-description around them.
SELF_DESCRIPTIONS: Dict[str, List[str]] = {
    "carer": [
        "my foster son", "my foster daughter", "my foster child", "my foster children", "my foster kid",
        "my foster boy", "my foster girl", "my foster placement", "our foster son", "our foster daughter",
        "our foster child", "our foster children", "i foster", "we foster", "been fostering",
        "i've been fostering", "we've been fostering", "work in a children's home", "work at a children's home",
        "work in a childrens home", "work at a childrens home", "work in the children's home",
        "work at the children's home", "work in a residential home", "work in a residential unit",
        "we're a children's home", "we are a children's home", "we're a childrens home",
        "we're a private children's home", "we're a private childrens home", "we are a private children's home",
        "lad on our unit", "girl on our unit", "on our unit", "from our unit", "missing from our home",
        "gone from our home",
        "our children's home", "our childrens home", "our residential home", "our kids home",
        *[f"{who} {where} {home}" for who in ("staff", "night staff", "senior", "on nights", "on shift", "manager",
                                               "team leader")
          for where in ("at", "in", "of") for home in ("a children's home", "the children's home", "a childrens home",
                                                  "the childrens home", "a residential home", "a kids home",
                                                  "the kids home")],
    ],
    "school": [
        "our pupil", "our pupils", "one of our pupils", "my pupil", "my pupils", "in my class", "my form group",
        "my tutor group", "at our school", "our school",
    ],
    "health": [
        "my patient", "my patients", "one of my patients", "our patient", "on my ward", "on our ward",
        "work in a&e", "work in the emergency department", "work on the ward", "work in the hospital",
        "work at the hospital", "work in camhs",
    ],
    "social_care": [
        "i'm the allocated social worker", "i'm her allocated social worker", "i'm his allocated social worker",
        "i'm their allocated social worker", "as the allocated social worker", "i am the allocated social worker",
    ],
    "youth_justice": [
        "my yos caseload", "my yot caseload", "my yjs caseload", "our yos caseload", "on my yos caseload",
        "on my yot caseload",
    ],
}

# Before a role's name: a self-description ("I'm the", "as a", "we're the", "I work as a").
SELF_BEFORE = [
    "i'm", "im", "i am", "as", "we're", "we are", "i work as", "i work in", "i work at", "i work for",
    "i work with", "working as", "speaking as",
]
# Between "I'm a" and the role ("I'm a newly qualified social worker").
SELF_QUALIFIERS = [
    "new", "newly qualified", "nq", "student", "trainee", "agency", "senior", "duty", "lead", "named",
    "designated", "deputy", "assistant", "acting", "relief", "night", "qualified", "locum", "temporary",
    "interim", "placing", "paeds", "paediatric", "community", "specialist", "hospital", "local",
]
# "as" that is not a self-description: "such as the police", "as well as the school".
NOT_SELF_BEFORE_AS = ["such", "same", "well", "soon", "much", "known", "just", "far", "long", "so", "such a"]
# After "as the police": words that make it a report of what they did ("as the police said").
NOT_SELF_AFTER_AS = [
    "said", "says", "say", "told", "tell", "have", "has", "had", "were", "was", "is", "are", "will", "would",
    "know", "knew", "asked", "advised", "suggested", "explained", "put", "mentioned", "reported", "think",
    "thought", "did", "found",
]
# After a role's name at the start of a message ("Foster carer. My 14yo…", "PC here", "DSL at a secondary").
SELF_AFTER = [
    ".", ",", ":", ";", "-", "–", "—", "/", "|", "!", "(", "here", "by the way", "btw", "on", "in", "at",
    "of", "for", "from", "with", "working", "based", "covering", "speaking",
    # "on EDT tonight. ..." but not "Social worker today told me"
    "tonight.", "tonight,", "tonight -", "today.", "today,", "today -",
]
# Said before anything else ("Hi, foster carer here").
GREETINGS = [
    "hi", "hello", "hiya", "hey", "morning", "good morning", "afternoon", "good afternoon", "evening",
    "good evening", "ok", "okay", "quick question", "urgent", "help", "hi there", "hello there", "hi all",
]

CARE_STATUSES: Dict[str, List[str]] = {
    "in_care": [
        "lac", "cic", "cla", "looked after", "looked-after", "looked after child", "looked after children",
        "in care", "child in care", "children in care", "missing from care", "foster care", "foster placement",
        "fostered", "foster home", "foster son", "foster daughter", "foster child", "foster children",
        "foster kid", "children's home", "childrens home", "kids home", "residential placement",
        "residential home", "residential unit", "in residential", "care home", "section 20", "s20",
        "care order", "interim care order", "in placement", "placement",
        "placed with foster carers", "back to placement", "from placement", "secure unit", "secure children's home",
        "secure childrens home", "from secure", "in secure",
        # "resi" alone is also a school's residential trip; these are the children's home
        "resi yp", "resi young person", "resi kid", "resi child", "resi placement", "resi home", "resi unit",
        "back at resi", "back to resi", "missing from resi", "gone from resi", "resi rang", "resi called",
        "resi phoned", "by our own local authority", "by our own authority", "by our own council", "by our own la",
        "our own authority's", "our own la's", "misper from resi", "absconded from resi", "awol from resi",
        "ran from resi", "run from resi", "left resi", "returned to resi",
    ],
    "in_care_out_of_area": [
        "out of area", "out-of-area", "out of county", "out of borough", "ooa", "placed out of area",
        "placed out of county", "placed out of borough", "out of area placement", "out of county placement",
        "ooa placement", "placed in another county", "placed in another area", "placed in another borough",
        "placed in another la", "placed in another local authority", "placed outside the area",
        "placed outside our area", "placed outside the county", "placed elsewhere", "placed miles away",
        "we placed", "we've placed", "host authority", "host la", "host local authority", "host area",
        "host council", "as the placing authority", "we're the placing authority",
        "we are the placing authority", "i'm the placing social worker", "as the placing social worker",
    ],
    "in_care_from_other_area": [
        "placed here by", "placed here from", "placed in our area by", "placed in our area from",
        "placed in our borough by", "placed in our county by", "placed in our town by", "placed with us by",
        "placed with us from", "placed with me by", "placed with me from", "placed there by",
        "placed there from", "placed on our patch by", "on our patch from", "placed in a home on our patch",
        "placed locally by", "placed by another council", "placed by another la",
        "placed by another local authority", "placed by a different council", "placed by a council",
        "from another council", "from another local authority", "from another la", "from another area",
        "from another county", "from another borough", "from a different county", "from a different council",
        "from a different la", "from a different local authority", "from a different area", "from other areas",
        "another council's", "another councils", "another la's", "another local authority's",
        "other council's", "other councils", "other la's", "looked after by another council",
        "looked after by a council", "looked after by another local authority", "looked after by another la",
        "looked after by a different council", "looked after by a different local authority",
        "we're the host authority", "we are the host authority", "we're the host", "we are the host",
        "the placing council's social worker", "the placing authority's social worker",
    ],
    "supported_accommodation": [
        "supported accommodation", "supported accom", "supported housing", "supported lodgings",
        "supported flat", "semi-independent", "semi independent", "semi-independent living",
        "semi-indep", "semi indep", "semi indy", "semi-indy", "16+ accommodation", "16+ placement",
        "16+ service", "16+ supported housing", "16 plus", "16+ provision", "hostel",
        "16-17 semi independent", "semi-independent provision", "semi independent provision",
    ],
    "care_leaver_adult": [
        "care leaver", "care leavers", "care-leaver", "former relevant", "left care", "adult care leaver",
        "18+ care leaver", "leaving care team", "care experienced adult",
    ],
    "at_home_social_worker": [
        "cp plan", "cp child", "cp case", "child protection plan", "on a plan", "on a cp plan",
        "on a child protection plan",
        "on cp", "subject to child protection", "child in need", "child in need plan", "cin", "cin plan", "on cin",
        "section 17", "s17", "section 47", "s47", "has a social worker", "has a sw", "has an allocated social worker",
        "allocated social worker", "allocated sw", "open to social care", "open to children's services",
        "open to childrens services", "known to social care", "known to children's services",
        "has social worker", "got a social worker", "has got a social worker", "got an allocated social worker",
    ],
    "at_home": [
        "lives at home", "living at home", "at home with", "with his parents", "with her parents",
        "with their parents", "with his mum", "with her mum", "with his dad", "with her dad", "lives with mum",
        "lives with dad", "lives with family", "living with family", "with both parents", "lives with parents",
        "not in care", "not looked after", "not lac",
        "no social worker", "no sw", "hasn't got a social worker", "hasnt got a social worker",
        "has not got a social worker", "doesn't have a social worker", "does not have a social worker",
        "not got a social worker", "no allocated social worker", "hasn't got an allocated social worker",
        "hasnt got an allocated social worker", "doesn't have an allocated social worker",
        "does not have an allocated social worker", "not got an allocated social worker", "no social care involvement",
        "not known to social care", "never had any social care involvement", "never had social care involvement",
        "no previous social care involvement", "never been known to social care", "isn't known to social care",
        "isnt known to social care", "is not known to social care", "wasn't known to social care",
        "isn't known to children's services", "isn't open to social care", "lives w mum", "lives w dad",
        "no services involved", "no agencies involved",
        "not known to children's services", "not open to social care", "no social care",
        "no social services involvement", "no social services", "nothing open to us", "not open to us",
        "no previous referrals", "not open to children's social care",
    ],
}

CONCERNS: Dict[str, List[str]] = {
    "exploitation": [
        "cse", "cce", "county lines", "sexual exploitation", "child sexual exploitation", "criminal exploitation",
        "child criminal exploitation", "exploitation", "exploited", "being exploited", "groomed", "grooming",
        "trap house", "drug running", "running drugs", "run drugs", "drug dealer", "drug dealers", "dealers",
        "the dealer", "older men", "older males", "older lads", "older boyfriend", "adult males",
        "sexually exploited",
    ],
    "trafficking": [
        "uasc", "unaccompanied", "unaccompanied asylum seeking", "unaccompanied asylum-seeking",
        "unaccompanied asylum seeking child", "unaccompanied asylum-seeking child", "asylum seeking",
        "asylum-seeking", "asylum seeker", "trafficked", "trafficking", "traffickers", "trafficker",
        "modern slavery", "nrm", "national referral mechanism", "ictg", "independent child trafficking guardian",
        "age disputed", "age dispute", "age assessment", "possibly trafficked", "arrived unaccompanied",
    ],
    "hospital": [
        "mental health act", "mha", "sectioned", "detained under the mental health act", "tier 4 unit",
        "psychiatric unit", "mental health unit", "adolescent unit",
        "hospital", "a&e", "a and e", "a & e", "emergency department", "the ward", "ward", "paediatric ward",
        "paeds ward", "children's ward", "childrens ward", "left hospital", "missing from hospital",
        "absconded from hospital", "absconded from the ward", "left the ward", "off the ward", "walked off the ward",
        "self discharged", "self-discharged", "left before being seen", "left before triage",
        "before being discharged", "before discharge", "paediatric ed", "paeds ed", "missing patient",
        "left ed", "off ed", "absconded from ed", "ran from ed", "walked out of ed",
        "awol from the ward", "inpatient", "inpatient unit",
        "mental health act", "sectioned", "on section", "detained under the mental health act",
    ],
    "education": [
        "missing education", "missing from education", "children missing education", "child missing education",
        "cme", "off roll", "off the roll", "taken off roll", "removed from roll", "removed from the roll",
        "not on roll", "not on a school roll", "not on any school roll", "not on the school roll",
        "not in school", "not been in school", "not been at school", "hasn't been in school",
        "hasn't been at school", "hasnt been in school", "hasnt been at school", "not attending school",
        "absent from school", "absent from education", "persistent absence", "elective home education",
        "home educated", "home education", "home ed", "ehe", "days absent", "days off in a row",
        "days off school", "school absence", "school attendance",
        "poor attendance", "attendance concerns", "attendance team",
    ],
}

SAFEGUARDING_TERMS: Dict[str, List[str]] = {
    "return home interview": ["rhi", "return home interview", "return interview", "rhis"],
    "emergency duty team": ["edt", "emergency duty team", "out of hours team"],
    "multi-agency safeguarding hub": ["mash", "front door", "multi-agency safeguarding hub"],
    "early help": ["caf", "early help", "common assessment framework", "early help assessment"],
    "safe and well check": ["safe and well", "safe and well check", "prevention interview"],
    "philomena protocol": ["philomena", "philomena protocol", "philomena form"],
    "strategy meeting": ["strategy meeting", "strategy discussion", "strat meeting"],
    "multi-agency child exploitation": ["mace", "mace meeting"],
    "exploitation team": ["exploitation team", "child exploitation team"],
}
# Concern phrases that give way to another concern in the same message: an NRM referral is
# also made for county lines, so "NRM for a county lines kid" is about exploitation.
GIVES_WAY: Dict[str, List[str]] = {"trafficking": ["nrm", "national referral mechanism", "modern slavery"]}
# Roles that work with care leavers: with an adult's age ("PA here, 19yo missing") the child is a care leaver.
CARE_LEAVER_WORKERS = ["personal adviser", "personal advisor", "pa", "leaving care worker", "leaving care pa"]
# A team's name said as a self-description ("EDT here") names the role of who is typing.
TERMS_NAMING_A_ROLE: Dict[str, str] = {"emergency duty team": "edt"}

# The spaCy labels: a role's name (a mention unless self-described) and a self-description.
SELF_DESCRIPTION_LABEL = "self_description"
ENTITIES: Dict[str, Dict[str, List[str]]] = {
    "practitioner_role": PRACTITIONER_ROLES,
    SELF_DESCRIPTION_LABEL: SELF_DESCRIPTIONS,
    "care_status": CARE_STATUSES,
    "concern": CONCERNS,
    "safeguarding_term": SAFEGUARDING_TERMS,
}
# The Rasa entities: who is typing, a role only mentioned, the child's care status, the concern.
ROLE_MENTION = "role_mention"

# The values each slot can hold, as Rasa's categorical slots list them (domain.yml).
SLOT_VALUES: Dict[str, List[str]] = {
    "practitioner_role": [*PRACTITIONER_ROLES, OTHER_ROLE],
    "care_status": list(CARE_STATUSES),
    "concern": list(CONCERNS),
}


def _spellings(phrase: str) -> List[str]:
    """The phrase with a straight and a curly apostrophe."""
    return list(dict.fromkeys([phrase, phrase.replace("'", "’")]))


def ruler_patterns() -> List[dict]:
    """Patterns for spaCy's EntityRuler (phrase patterns matched on lower-case text)."""
    return [
        {"label": entity, "pattern": spelling, "id": canonical}
        for entity, values in ENTITIES.items()
        for canonical, phrases in values.items()
        for phrase in phrases
        for spelling in _spellings(phrase)
    ]


def synonyms() -> Dict[str, List[str]]:
    """Rasa entity synonyms: canonical value -> every other way of writing it.

    A phrase that is itself a canonical value of any entity ("hospital" is a concern) is left
    out, since Rasa's synonym mapper would rename that value wherever it came from.
    """
    canonical_values = {canonical for values in ENTITIES.values() for canonical in values}
    table: Dict[str, List[str]] = {}
    for values in ENTITIES.values():
        for canonical, phrases in values.items():
            others = [p for p in phrases if p != canonical and p not in canonical_values]
            table.setdefault(canonical, []).extend(others)
    return {canonical: list(dict.fromkeys(phrases)) for canonical, phrases in table.items() if phrases}


# When one message names several care statuses ("LAC placed out of county") or concerns,
# the most specific one is what the practitioner means.
MOST_SPECIFIC_FIRST: Dict[str, List[str]] = {
    "care_status": ["in_care_from_other_area", "in_care_out_of_area", "supported_accommodation",
                    "care_leaver_adult", "in_care", "at_home_social_worker", "at_home"],
    "concern": ["trafficking", "hospital", "exploitation", "education"],
}
