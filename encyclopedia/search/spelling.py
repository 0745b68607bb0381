"""British and American spellings of the same word meet in one form.

``canonical(word)`` takes one lower-case, accent-free, singular word and returns the
form both spellings share: "leukaemia" and "leukemia" → "leukemia", "tumour" →
"tumor", "centre" → "center", "haematology" → "hematology", "organize" →
"organise" (the ``-ise`` side wins there, because "advise", "exercise" and
"promise" are American too).  The result is an index key, never shown to anyone, so
it only has to be the same for both spellings and different for different words.
"""

from __future__ import annotations

import re

# Whole words that no rule below covers (British → American).
WORDS = {
    "aeroplane": "airplane", "aluminium": "aluminum", "ageing": "aging", "grey": "gray", "greyish": "grayish",
    "mould": "mold", "mouldy": "moldy", "smoulder": "smolder", "plough": "plow", "programme": "program",
    "defence": "defense", "offence": "offense", "licence": "license", "pretence": "pretense",
    "practise": "practice", "practised": "practiced", "practising": "practicing",
    "judgement": "judgment", "acknowledgement": "acknowledgment", "enrol": "enroll", "enrolment": "enrollment",
    "fulfil": "fulfill", "fulfilment": "fulfillment", "skilful": "skillful",
    "wilful": "willful", "instalment": "installment", "pyjama": "pajama", "sceptic": "skeptic",
    "sceptical": "skeptical", "scepticism": "skepticism", "manoeuvre": "maneuver", "manoeuvred": "maneuvered",
    "cheque": "check", "tyre": "tire", "draught": "draft", "kerb": "curb", "storey": "story",
    "whilst": "while", "amongst": "among", "learnt": "learned",
    "spelt": "spelled", "dreamt": "dreamed", "burnt": "burned", "gaol": "jail", "moustache": "mustache",
    "doughnut": "donut", "analogue": "analog", "catalogue": "catalog", "dialogue": "dialog",
    "oestrogen": "estrogen", "foetus": "fetus", "foetal": "fetal",
}

# Rules on parts of words: (pattern, replacement), applied in order.
RULES = [
    # -aemia, haem-, leukaem-, anaem-, ischaem-, glycaem-: "aem" is "em" in American.
    (re.compile(r"aem"), "em"),
    (re.compile(r"^leuc(?=[aeiou])"), "leuk"),  # leucocyte, leucapheresis, leucaemia
    (re.compile(r"paed"), "ped"),               # paediatric, orthopaedic, encyclopaedia
    (re.compile(r"anaes"), "anes"),             # anaesthesia, anaesthetist
    (re.compile(r"^caes"), "ces"),              # caesarean
    (re.compile(r"^faec"), "fec"),              # faeces, faecal
    (re.compile(r"^aet"), "et"),                # aetiology
    (re.compile(r"gynaec"), "gynec"),
    (re.compile(r"^naev"), "nev"),              # naevus
    (re.compile(r"archaeo"), "archeo"),
    (re.compile(r"^oe(?=[dsn])"), "e"),         # oedema, oesophagus, oestrogen, oenology
    (re.compile(r"^foet"), "fet"),
    (re.compile(r"rrhoe"), "rrhe"),             # diarrhoea, gonorrhoea, amenorrhoea
    (re.compile(r"pnoe"), "pne"),               # dyspnoea, apnoea
    (re.compile(r"amoeb"), "ameb"),
    (re.compile(r"coeli"), "celi"),             # coeliac
    (re.compile(r"homoeo"), "homeo"),
    (re.compile(r"sulph"), "sulf"),             # sulphur, sulphonamide
    # -our → -or for the words that have it (not "hour", "four", "pour", "tour", "your").
    (re.compile(r"^(tum|col|behavi|fav|hon|hum|lab|od|rum|vap|neighb|flav|vig|rig|harb|sav|savi|clam|endeav|arm|"
                r"parl|val|splend|ard|cand|ferv|ranc|glam)our"), r"\1or"),
    # -re → -er (centre, centred, centring; metre, millilitre).
    (re.compile(r"(^(?:cent|fib|theat|calib|lust|somb|spect|meag|sab|tit|mit|och|sepulch)|met|lit)r(e|ed|ing)$"),
     lambda match: match.group(1) + "er" + {"e": "", "ed": "ed", "ing": "ing"}[match.group(2)]),
    (re.compile(r"logue$"), "log"),             # catalogue, dialogue, analogue, prologue
    # -ize/-yze → -ise/-yse (both spellings meet on the British side).
    (re.compile(r"([iy])z(e|es|ed|ing|ation|ations|er|ers|able)$"), r"\1s\2"),
    # travelled, modelling, labelled, cancelled, counselling, signalling, fuelled, levelled.
    (re.compile(r"^(travel|model|label|cancel|counsel|fuel|signal|level|channel|tunnel|dial|total|equal|jewel|"
                r"funnel|shovel|quarrel|rival|marshal|pedal|panel|barrel|duel|libel|marvel|pencil|tinsel)l"
                r"(ed|ing|er|ers|ist|ists)$"), r"\1\2"),
]

def canonical(word: str) -> str:
    mapped = WORDS.get(word)
    if mapped is not None:
        return mapped
    for pattern, replacement in RULES:
        word = pattern.sub(replacement, word)
    return word


# Where a canonical word may differ from a way it is written (the places the rules above
# insert, drop or swap letters): splitting there leaves pieces every spelling contains.
CHANGED_PLACES = re.compile(
    r"(?=em)|(?<=^leu)k|(?<=p)(?=ed)|(?<=an)(?=es)|(?<=^c)(?=es)|(?<=^f)(?=e[ct])|(?<=gyn)(?=ec)|(?<=^n)(?=ev)"
    r"|(?<=arch)(?=eo)|(?<=rrh)(?=e)|(?<=pn)(?=e)|(?<=am)(?=eb)|(?<=c)(?=eli)|(?<=hom)(?=eo)|(?<=sul)f"
    r"|(?<=o)(?=r)|(?=er(?:ed|ing)?$)|(?<=[iy])s|(?<=l)(?=(?:ed|ing|er|ers|ist|ists)$)")
