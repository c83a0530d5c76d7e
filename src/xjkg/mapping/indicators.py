"""The indicator and the figure type of a number, for the families of wording whose meaning the words near the
number decide better than a vocabulary name does: divisions of a region (prefectures, leagues, counties, banners),
its population and its poor population, key counties, averages and amounts per unit, growth stated after the
number ("21% higher than"), counts of units and enterprises. Each family reuses the shipped indicator that
measures the same thing, so that a series of sections shares one indicator per thing measured.

The functions read a fixed window around the number (never the whole report): the drafter stays linear.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from xjkg.text.extract import Mention

__all__ = ["Proposal", "average_type", "family", "grows_after", "readable_words", "shares_after"]

# A number as the series writes it, in digits or in words ("nine prefecture-level units").
_NUM = (
    r"(?:\d[\d,.]*(?:\s+(?:million|billion|thousand))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|"
    r"twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty)"
)
# The noun of a division of a region, after the number. Leagues are Inner Mongolia's prefecture-level divisions and
# banners its county-level ones; autonomous prefectures and prefecture-level cities are prefecture-level too.
_PREFECTURE_NOUN = re.compile(
    r"\s+(?:(?:prefecture|prefectural)[- ]level\s+(?:units?|divisions?|cities|administrative\s+(?:units?|regions?))|"
    r"(?:autonomous\s+)?prefectures?(?:\s+and\s+(?:cities|leagues))?|leagues?(?:\s+and\s+cities)?|"
    r"(?:cities|municipalities)\s+and\s+(?:autonomous\s+)?(?:prefectures|leagues)|"
    r"cities\s+(?:\((?:[a-z ,-]*)\)\s+)?at\s+the\s+prefecture\s+level)\b",
    re.IGNORECASE,
)
_COUNTY_NOUN = re.compile(
    r"\s+(?:county[- ]level\s+(?:units?|divisions?|cities|administrative\s+(?:units?|regions?))|"
    r"counties|banners|counties\s+and\s+banners|banners\s+and\s+counties)\b",
    re.IGNORECASE,
)
_UNAMBIGUOUS_COUNTY = re.compile(r"\s+county[- ]level\b", re.IGNORECASE)
# The kinds of division listed in a bracket after the noun: "88 counties (cities, districts)".
_DIVISION_KINDS = re.compile(
    r"\s*\((?:\s*(?:and\s+)?(?:autonomous\s+)?(?:counties|cities|districts|banners|prefectures|leagues|"
    r"county-level\s+cities)\s*,?)+\)",
    re.IGNORECASE,
)
# What a region is made of: "with", "has", "comprises", "is divided into" … before the number.
_HOLDS = re.compile(
    r"\b(?:with|has|had|have|comprises?|comprising|compris(?:ed)|includes?|including|governs?|governing|"
    r"administers?|administering|consists?\s+of|consisting\s+of|(?:is|was)\s+made\s+up\s+of|divided\s+into|"
    r"jurisdiction\s+over|there\s+(?:are|were))\s+$",
    re.IGNORECASE,
)
# Another division count before this one, joined by "and" or a comma: "with nine prefectures and 88 counties".
_AFTER_DIVISIONS = re.compile(
    rf"\b{_NUM}\s+[A-Za-z -]*?(?:prefectures?|units|divisions|leagues|cities|counties|banners)\s*(?:\([^()]*\))?\s*"
    r"(?:,\s*(?:and\s+)?|and\s+)$",
    re.IGNORECASE,
)
# Places an activity reached ("extended the pilot to ten key counties", "in 183 villages of 19 counties"): no count
# of what the region has.
_REACHED = re.compile(
    r"\b(?:to|in|for|at|into|across|of|among|covering|covered|reaching|reached)\s+(?:the\s+)?(?:about\s+|over\s+)?$",
    re.IGNORECASE,
)
# Key counties: "31 national key banners and counties", "26 region-level key counties", "57 key counties".
_KEY_COUNTIES = re.compile(
    r"\s+(?:(?:national|state|state-level|provincial|province-level|regional|region-level|autonomous-region-level|"
    r"provincial-level)\s+)?(?:poverty\s+alleviation\s+)?key\s+(?:poverty[- ]alleviation\s+)?"
    r"(?:counties|banners|counties\s+and\s+banners|banners\s+and\s+counties)\b",
    re.IGNORECASE,
)
# "…, 57 in total" after key counties.
_IN_TOTAL = re.compile(r"\s+in\s+total\b|\s+altogether\b", re.IGNORECASE)
_KEY_BEFORE = re.compile(r"\bkey\s+(?:counties|banners)\b[^.;]*$", re.IGNORECASE)
# The population of a region: "its total population was N", "a resident population of N", "N inhabitants".
_POPULATION_BEFORE = re.compile(
    r"\b(?<!poor\s)(?<!impoverished\s)(?:total|resident|registered|permanent|whole|rural)?\s*population"
    r"(?:\s+of\s+the\s+(?:province|region|autonomous\s+region|municipality))?\s+"
    r"(?:was|were|is|stood\s+at|reached|numbered|totall?ed|of|amounted\s+to|came\s+to)\s+"
    r"(?:about\s+|nearly\s+|over\s+|some\s+)?$",
    re.IGNORECASE,
)
_INHABITANTS = re.compile(r"\s+(?:inhabitants|residents|permanent\s+residents)\b", re.IGNORECASE)
# The poor of a region, said as how many they are: "the poor in the farming areas numbered N", "the rural poor
# population stood at N", "poor people totalled N", "there were N poor people".
_STATE_VERB = r"(?:numbered|totall?ed|stood\s+at|was|were|amounted\s+to|came\s+to|reached|fell\s+to|dropped\s+to)"
_POOR_BEFORE = re.compile(
    r"\b(?:the\s+)?(?:rural\s+|absolute(?:ly)?\s+|low-income\s+)?(?:poor|impoverished|poverty-stricken)"
    r"(?:\s+(?:rural\s+)?(?:population|people|persons|residents|inhabitants))?"
    r"(?:\s+(?:in|of)\s+(?:the\s+)?[A-Za-z ,-]{1,40}?)?\s+" + _STATE_VERB + r"\s+(?:about\s+|nearly\s+|over\s+)?$",
    re.IGNORECASE,
)
_POOR_AFTER = re.compile(
    r"\s+(?:rural\s+)?(?:poor|impoverished|poverty-stricken)\s+(?:rural\s+)?(?:people|persons|population|residents)"
    r"(?!\s+(?:were|was|have\s+been|had\s+been)\s+(?:lifted|helped|moved|relocated|trained|supported))\b",
    re.IGNORECASE,
)
_THERE_WERE = re.compile(
    r"\b(?:there\s+(?:were|are|was)|(?:it|the\s+\w+)\s+(?:had|has))\s+(?:about\s+|some\s+)?$", re.IGNORECASE
)
# What a region's poor are counted under: a count of people lifted or helped is an outcome, not the poor population.
_OUTCOME_BEFORE = re.compile(
    r"\b(?:lifted|helped|moved|relocated|trained|supported|drove|driving|benefit(?:ed|ing)?|reduced\s+by|"
    r"out\s+of\s+poverty)\b[^.;]*$",
    re.IGNORECASE,
)
# Amounts per unit and averages: "an average of N", "averaging N", "N Yuan per village", "each gaining N".
# "per" any unit but time ("N Yuan per pupil", not "per year"); "each" and "a" only the units the series counts.
_PER = re.compile(
    r"^\s*(?:[A-Za-z]+\s+){0,3}?(?:(?:per|for\s+each)\s+(?!(?:year|annum|month|day|week|cent)\b)|(?:each|a)\s+"
    r"(?=(?:capita|person|head|household|family|village|project|mu|hectare|county|student|trainee|enterprise|people|"
    r"worker|labou?rer)\b))([A-Za-z]+)\b",
    re.IGNORECASE,
)
_AVERAGE_BEFORE = re.compile(
    r"\b(?:an?\s+average(?:\s+[a-z]+){0,2}\s+of|(?:the\s+)?average(?:\s+[a-z-]+){0,3}\s+(?:was|were|is|of|stood\s+at"
    r"|reached)|averag(?:ed|ing)|on\s+average|(?:each|every)\s+(?:[a-z-]+\s+){0,2}(?:gaining|getting|receiving|"
    r"received|got|gained|earning|earned|was\s+subsidi[sz]ed\s+with|subsidi[sz]ed\s+with)|per\s+capita[a-z ]*?"
    r"(?:was|were|is|of|reached|stood\s+at|rose\s+to|increased\s+to|grew\s+to))\s+(?:about\s+|nearly\s+|over\s+)?$",
    re.IGNORECASE,
)
_ON_AVERAGE_AFTER = re.compile(r"^[^.;,]{0,40}?\b(?:on\s+average|each|apiece|per\s+capita)\b", re.IGNORECASE)
_INCOME = re.compile(r"\bincome\b", re.IGNORECASE)
# Growth told after the number: "21.0% higher than in 2010", "14.3% more than in 2008", "12% up on last year".
_GROWTH_AFTER = re.compile(
    r"\s+(?:higher|more|greater|larger|up|lower|less|down|above|below)\s+(?:than|on|over|from|compared\s+with)\b|"
    r"\s+(?:year[- ]on[- ]year|over\s+(?:the\s+)?(?:previous|last)\s+year)\b",
    re.IGNORECASE,
)
# Units that assist: "47 central state organs took part in fixed-point poverty alleviation", "86 … units sent …".
# Its modifiers may list levels ("6,100 central, provincial and county (city)-level units and departments"), never
# another plural noun ("N families joined the organisations" counts families).
_UNITS_NOUN = re.compile(
    r"^\s+(?:(?![A-Za-z()-]*[^s]s,?\s)[A-Za-z()’'-]+,?\s+){0,8}?(?:units|organs|organi[sz]ations|departments|agencies|institutions|"
    r"enterprises\s+and\s+institutions)\b",
    re.IGNORECASE,
)
_ASSIST = re.compile(
    r"\b(?:fixed-point|paired|pairing|assist(?:ed|ing|ance)?|help(?:ed|ing)?|aid(?:ed|ing)?|sent|dispatched|"
    r"stationed|posted|seconded|twinning|twinned|partner(?:ed|ing)?|took\s+part|tak(?:e|es|ing)\s+part|participat(?:ed|ing|e)|"
    r"involved|engaged)\b",
    re.IGNORECASE,
)
# Firms that pair with poor places are assisting units too ("1,400 private companies twinned with poor villages").
_FIRMS_PAIRED = re.compile(
    r"^\s+(?:[A-Za-z'’-]+\s+){0,3}?(?:enterprises|companies|firms)\s+(?:[a-z]+\s+){0,2}?"
    r"(?:paired|pairing|twinned|partnered|assisted|assisting|took\s+part\s+in\s+(?:fixed-point|paired))\b",
    re.IGNORECASE,
)
# A region's statistics in a sentence that says what it has: "The region has 31 key banners …, and 2,834 poor
# gachas (villages)" (no verb of doing between; gachas are Inner Mongolia's villages).
_POOR_VILLAGES = re.compile(
    r"\s+(?:poor|impoverished|poverty-stricken)\s+(?:administrative\s+)?(?:villages|gachas)\b", re.IGNORECASE
)
_HAS = re.compile(r"\b(?:has|had|have|there\s+(?:are|were)|comprises?|with)\b", re.IGNORECASE)
_DONE = re.compile(r"\b(?!(?:numbered|totall?ed|registered|designated|listed|called|named|located)\b)[a-z]+ed\b")
# Households an enterprise or a program drives out of poverty: "driving 176,000 households", "which brought along
# 265,000 rural households", "drove 290,000 farming and herding households" (the series' "families helped").
_DRIVE_BEFORE = re.compile(
    r"\b(?:dr(?:o|i)ve|driving|driven|drives|brought\s+along|bringing\s+along|brings\s+along|bring\s+along|"
    r"led|leading)\s+(?:about\s+|nearly\s+|over\s+|more\s+than\s+)?$",
    re.IGNORECASE,
)
# Households an industry reaches: a verb of reaching after enterprises, cooperatives or industries named before it
# in the sentence ("the 70 firms grew tea, reaching 90,000 households", "… and contracted with 8,000 households").
_REACH_BEFORE = re.compile(
    r"\b(?<!will\s)(?:benefit(?:ing|ed|s|ted|ting)?|cover(?:ing|ed|s)?|reach(?:ing|ed|es)?|involv(?:ing|ed|es)|"
    r"(?:signed|signing|concluded)\s+(?:[a-z-]+\s+){0,2}?(?:orders?|contracts?|agreements?)\s+with|"
    r"contract(?:ed|ing)\s+with|link(?:ed|ing)\s+(?:up\s+)?with|tied\s+to)\s+(?:about\s+|nearly\s+|over\s+|some\s+)?$",
    re.IGNORECASE,
)
_INDUSTRY = re.compile(
    r"\b(?:enterprises|companies|firms|cooperatives|co-operatives|industr(?:y|ies)|bases|processors)\b", re.IGNORECASE
)
_HOUSEHOLDS_AFTER = re.compile(r"^\s+(?:[a-z-]+\s+(?:and\s+[a-z-]+\s+)?){0,3}?(?:households|families)\b", re.IGNORECASE)
# Moving people out of harsh areas: "moved 8,600 households with 31,000 people", "2,300 herdsmen households …
# were moved", "resettled 9,400 households and 41,000 people".
_RELOCATE = r"(?:relocated|resettled|moved|migrated|relocating|resettling|moving|relocate|resettle|move)"
_RELOCATE_BEFORE = re.compile(rf"\b{_RELOCATE}\b[^.;:]{{0,60}}$", re.IGNORECASE)
# "N households were resettled", and the households as the movers: "N households and M people moved away"
_RELOCATE_AFTER = re.compile(
    rf"^[^.;:]{{0,80}}?\b(?:(?:were|was|had\s+been|have\s+been)\s+{_RELOCATE}|"
    r"(?:moved|relocated|resettled|migrated)\s+(?:away|out|from|off|down))\b",
    re.IGNORECASE,
)
# Households that "moved into new houses" were rehoused where they live: no relocation.
_REHOUSED_AFTER = re.compile(
    r"^\s+(?:households|families)?\s*(?:have\s+|had\s+)?moved\s+into\s+(?:new|safe|better|solid)\s+(?:houses|homes)\b",
    re.IGNORECASE,
)
_PEOPLE_AFTER = re.compile(r"^\s+(?:people|persons|residents|farmers|herdsmen|migrants|villagers)\b", re.IGNORECASE)
# People sent to work in poor places: "1,560 cadres … were stationed in poor villages", "sent 320 cadres".
# Cadres are what the number counts: its modifiers are no plural noun or verb ("1,200 units sent cadres" counts units).
_CADRES_AFTER = re.compile(
    r"^\s+(?:(?![a-z-]*[^s]s\s)(?!(?:sent|dispatched|stationed|selected|assigned|seconded|posted)\s)[a-z-]+\s+){0,2}?"
    r"cadres\b",
    re.IGNORECASE,
)
_SENT = re.compile(r"\b(?:sent|dispatched|stationed|selected|assigned|seconded|posted)\b", re.IGNORECASE)
# Income: the per capita net income of the region's farmers, its growth, an income gained per household.
_NET_INCOME = re.compile(
    r"\bper\s+capita\s+(?:net\s+)?income\b(?![^.;]*\b(?:growth|increase|increment|rise)\b)[^.;]*$", re.IGNORECASE
)
_MORE_INCOME = re.compile(r"^\s+(?:more|of\s+(?:extra|additional)|extra|additional)\s+income\b", re.IGNORECASE)
_EACH_BEFORE = re.compile(
    r"\b(households|families|people|persons|villages|farmers|herdsmen)\b[^.;]{0,12}\beach\b[^.;]{0,30}$",
    re.IGNORECASE,
)
#: A unit counted by "each" or "every" before an amount in its clause ("each household received N").
_EACH_UNIT = re.compile(
    r"\b(?:each|every)\s+(?:[a-z-]+\s+)?(person|household|family|village|project|student|trainee|county|mu|hectare)"
    r"\b[^.;,]{0,30}$",
    re.IGNORECASE,
)
_SINGULAR = {"capita": "person", "head": "person",
             "households": "household", "families": "family", "people": "person", "persons": "person",
             "villages": "village", "farmers": "person", "herdsmen": "person"}  # fmt: skip
# Money for training: "N Yuan was allocated … for the training of 210,000 farmers", "N Yuan of training funds".
_FOR_TRAINING = re.compile(
    r"^[^.;]{0,100}?\b(?:for\s+(?:the\s+)?(?:[a-z-]+\s+){0,3}?training|of\s+training\s+funds?)\b", re.IGNORECASE
)
_TRAINING_FUNDS_BEFORE = re.compile(r"\btraining\s+funds?\b[^.;0-9]{0,80}$", re.IGNORECASE)
# Aid: "N Yuan of aid funds", money issued by the aid-Tibet provinces (the series' "assistance funds").
_AID_MONEY = re.compile(
    r"^\s*(?:Yuan\s+)?(?:of\s+)?(?:aid|assistance)\s+(?:funds?|money)\b|^[^.;]{0,40}?\bby\s+(?:the\s+)?aid-[A-Z]",
    re.IGNORECASE,
)
# Villages that assisting bodies pair with or that aid money is for.
_VILLAGES_AFTER = re.compile(
    r"^\s+(?:poor\s+|impoverished\s+|poverty-stricken\s+)?(?:villages|gachas)\b", re.IGNORECASE
)
_ASSISTED_BEFORE = re.compile(
    r"\b(?:paired\s+(?:up\s+)?with|pairing\s+(?:up\s+)?with|twinned\s+with|assisted|helped|aided|supported|"
    # people sent to work in them: "posted working teams in 900 poor villages"
    r"(?:sent|sending|dispatched|stationed|posted|assigned|seconded)\s+(?:[A-Za-z-]+\s+){0,4}?(?:to|in|into))\s+"
    r"(?:about\s+|over\s+)?$",
    re.IGNORECASE,
)
_AID_SENTENCE = re.compile(r"\b(?:aid-[A-Za-z]+|assisting|paired|partner|fixed-point|aid\s+funds)\b", re.IGNORECASE)
# Members of a mutual fund or a cooperative: "with 14,000 member households", "12,000 households joined".
_MEMBERS = re.compile(
    r"^\s+(?:member\s+(?:households|families)|(?:households|families)\s+(?:joined|took\s+part|participated))\b",
    re.IGNORECASE,
)
# Entire village advancement: villages where it was carried out in the year, and those that completed it.
_ADVANCEMENT = re.compile(r"\b(?:entire|whole)[- ]village\s+(?:advancement|development|promotion)\b", re.IGNORECASE)
_VILLAGES_NOUN = re.compile(
    r"^\s+(?:(?:poor|impoverished|natural|administrative|poverty-stricken)\s+)?(?:villages|gachas)\b", re.IGNORECASE
)
_COMPLETED_AFTER = re.compile(
    r"^[^.;]{0,60}?\b(?:finished|completed|accomplished|passed\s+(?:the\s+)?(?:acceptance|inspection|check))",
    re.IGNORECASE,
)
_COMPLETED_BEFORE = re.compile(
    r"\b(?:completed|finished|accomplished|complete|finish)\s+(?:in\s+)?(?:about\s+|over\s+|nearly\s+)?$", re.IGNORECASE
)
# "to date", "so far", and the present perfect ("have basically completed"): the count since the program began.
_TO_DATE = re.compile(
    r"\b(?:to\s+date|so\s+far|cumulatively|in\s+total\s+since|since\s+(?:19|20)\d\d|ha(?:ve|s)\s+(?:been\s+)?"
    r"(?:basically\s+|already\s+)?(?:completed|finished))\b",
    re.IGNORECASE,
)
# A digit that does not begin a year ("the 980 villages started in 2010 passed …": the year cuts no clause).
_NOT_A_YEAR = r"(?<![\w,.])(?!(?:19|20)\d\d\b)\d"
# Roads hardened: "5,600 kilometers of village roads were hardened" (not built: an indicator of its own).
_ROADS_AFTER = re.compile(r"^\s+of\s+((?:[a-z-]+\s+){0,2}?roads?)\b", re.IGNORECASE)
_HARDENED = re.compile(r"\b(?:hardened|harden|hardening)\b", re.IGNORECASE)
# Enterprises and cooperatives a program supports: what the region has, not an output ("supported 34 leading
# enterprises and 210 farmers' cooperatives"); set up, established or built ones are outputs.
_FIRMS_AFTER = re.compile(
    r"^\s+(?:[A-Za-z'’-]+\s+){0,3}?(?:enterprises|companies|firms|cooperatives|co-operatives)\b", re.IGNORECASE
)
_MADE = re.compile(
    r"\b(?:set\s+up|established|built|founded|formed|created|newly|introduced|attracted|brought\s+in)\b", re.IGNORECASE
)
_SUPPORTED = re.compile(
    r"\b(?:supported|supporting|supports?|identified|recognized|recognised|has|had|have|there\s+(?:are|were))\b",
    re.IGNORECASE,
)
# A percentage of a plan or a target: "520 gachas, 96% of the annual plan".
_SHARE_AFTER = re.compile(
    r"\s+of\s+(?:the\s+)?(?:annual\s+|year's\s+|yearly\s+|whole\s+)?(?:plan|target|task|goal|total)\b",
    re.IGNORECASE,
)
# People trained: a count of people, or of nobody named ("54,000 through skills courses"), in a clause that speaks of
# training or schooling; person-times of training are attendances. Those trained who found jobs are counted apart.
_TRAINING = re.compile(
    r"\b(?:(?:re)?train(?:s|ed|ing|ings|ees?)?|vocational\s+(?:education|schooling)|courses?|classes|schooled|"
    r"tutored|taught|coach(?:ed|ing|es)?|instructed|drilled|upskill(?:ed|ing)?|workshops?|lessons|"
    r"apprentice(?:s|ship)?)\b",
    re.IGNORECASE,
)
_JOB_AFTER = re.compile(r"\b(?:employed|employment|jobs?|placed|hired|work(?:ing)?)\b", re.IGNORECASE)
_PERSONS_AFTER = re.compile(
    r"^\s+(?:[A-Za-z-]+\s+){0,2}?(?:people|persons|farmers|herdsmen|herders|peasants|labou?rers|labou?rs|workers|"
    r"youths?|women|children|students|pupils|cadres|masses|villagers|migrants|trainees|residents)\b",
    re.IGNORECASE,
)
_NO_NOUN_AFTER = re.compile(
    r"^\s*(?:,|through|in|under|by|via|at|received|receiving|were|was|took|attended|completed|finished|got)\b",
    re.IGNORECASE,
)
# Money of its own kind, named before an amount per unit: "the average subsidy was N Yuan per person".
_MONEY_KIND = re.compile(r"\b(subsid(?:y|ies)|grants?|allowances?|wages?|salar(?:y|ies)|loans?)\b", re.IGNORECASE)
_KIND_NOUN = {"subsi": "subsidy", "grant": "grant", "allow": "allowance", "wage": "wage", "wages": "wage",
              "salar": "salary", "loan": "loan", "loans": "loan"}  # fmt: skip
# Words that say nothing of what is counted: never the words of a new indicator's id.
FILLER_WORDS = frozenset(
    {
        "where",
        "or",
        "and",
        "numbered",
        "totalled",
        "totaled",
        "stood",
        "higher",
        "more",
        "less",
        "lower",
        "greater",
        "over",
        "up",
        "down",
        "than",
        "in",
        "of",
        "the",
        "a",
        "an",
        "which",
        "who",
        "whose",
        "whom",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "their",
        "there",
        "overview",
        "total",
        "altogether",
        "about",
        "nearly",
        "some",
        "was",
        "were",
        "is",
        "are",
        "been",
        "be",
        "had",
        "has",
        "have",
        "region",
        "province",
        # quantifiers and adverbs: "held 60 various trainings" counts trainings
        "various",
        "varied",
        "different",
        "diverse",
        "assorted",
        "several",
        "many",
        "numerous",
        "kinds",
        "sorts",
        "also",
        "respectively",
    }
)


@dataclass(frozen=True)
class Proposal:
    """An indicator (empty: let the vocabularies decide) and a figure type (empty: as the indicator's)."""

    indicator: str
    type: str
    why: str
    label: str = ""  # the label of a new indicator the family names (its id is not in the vocabularies)
    over_attribute: bool = False  # it holds even for "N households with M people" (the people of those households)
    over_total: bool = False  # a subset of another kind than its total ("of which 1,940 finished"): its own indicator


def _known(indicator: str, known: Collection[str]) -> str:
    return indicator if indicator in known else ""


def family(text: str, m: Mention, sentence_start: int, known: Collection[str]) -> Proposal | None:
    """The indicator and type of a number of one of the families this module knows, or None.

    ``known``: the ids of the indicators the vocabularies hold; a family proposes only a known indicator (when
    the vocabularies lack it, the type alone, and the drafter names a new indicator).
    """
    after = text[m.end : m.end + 120]
    before = text[max(sentence_start, m.start - 120) : m.start]
    reached = _REACHED.search(before) is not None and not _HOLDS.search(before)  # "divided into" holds
    trained = _trained(text, m, sentence_start, known)
    if trained is not None:
        return trained
    if m.unit in ("COUNT", "HOUSEHOLD"):
        if (not reached and _KEY_COUNTIES.match(after)) or (
            _IN_TOTAL.match(after) and _KEY_BEFORE.search(before) and not re.search(r"\d", after[:12])
        ):
            return Proposal(
                _known("indicator/key-counties", known),
                "StatisticalFigure",
                "a count of key counties (banners): the key counties of the region",
            )
        prefecture = _PREFECTURE_NOUN.match(after)
        county = _COUNTY_NOUN.match(after)
        if (prefecture or county) and not reached:
            noun = prefecture or county
            listed = noun is not None and _DIVISION_KINDS.match(after[noun.end() :]) is not None
            sure = bool(prefecture) and not re.match(r"\s+(?:autonomous\s+)?prefectures?\b", after, re.IGNORECASE)
            sure = sure or bool(county and _UNAMBIGUOUS_COUNTY.match(after))
            if sure or listed or _HOLDS.search(before) or _AFTER_DIVISIONS.search(before):
                level = "prefecture" if prefecture else "county"
                return Proposal(
                    _known(f"indicator/{level}-level-divisions", known),
                    "StatisticalFigure",
                    f"a count of the region's {level}-level divisions ({after[: noun.end()].strip() if noun else ''})",
                )
        poor_population = re.search(
            r"\b(?:poor|impoverished|poverty-stricken)\s+(?:rural\s+)?population\s+\w+\s*$", before
        )
        if not poor_population and (
            _POPULATION_BEFORE.search(before) or (_INHABITANTS.match(after) and not _OUTCOME_BEFORE.search(before))
        ):
            return Proposal(_known("indicator/population", known), "StatisticalFigure", "the population of the region")
        if not _OUTCOME_BEFORE.search(before) and (
            _POOR_BEFORE.search(before) or (_POOR_AFTER.match(after) and _THERE_WERE.search(before))
        ):
            return Proposal(
                _known("indicator/poor-population", known),
                "BeneficiaryCount",
                "how many the poor of the region are (numbered, totalled, stood at)",
            )
        if _POOR_VILLAGES.match(after) and _HAS.search(before) and not _DONE.search(before):
            return Proposal(
                _known("indicator/impoverished-villages", known),
                "StatisticalFigure",
                "a count of the region's poor villages in a sentence that says what the region has",
            )
        advancement = _advancement(text, m, before, after, known)
        if advancement is not None:
            return advancement
        sentence_after = re.split(r"[.;。]\s", text[m.end : m.end + 160], maxsplit=1)[0]
        unit = _UNITS_NOUN.match(after)
        # units that were set up, founded, brought in are outputs
        assisting = unit and _ASSIST.search(sentence_after) and not _MADE.search(after[unit.end() : unit.end() + 30])
        if assisting or _FIRMS_PAIRED.match(after):
            return Proposal(
                _known("indicator/assisting-units", known),
                "StatisticalFigure",
                "a count of units (or firms) that assist",
            )
        if _CADRES_AFTER.match(after) and _SENT.search(f"{before[-40:]} {sentence_after}"):
            return Proposal(_known("indicator/cadres-dispatched", known), "OutputCount", "cadres sent to work")
        if _VILLAGES_AFTER.match(after) and (
            _ASSISTED_BEFORE.search(before) or (re.search(r"\bfor\s+$", before) and _AID_SENTENCE.search(before))
        ):
            return Proposal(
                _known("indicator/villages-assisted", known), "BeneficiaryCount", "villages that assisting bodies help"
            )
        if _MEMBERS.match(after) or (m.unit == "HOUSEHOLD" and _MEMBERS.match(f" households{after}")):
            return Proposal(
                _known("indicator/families-joined", known), "BeneficiaryCount", "households that joined (members)"
            )
        households = _HOUSEHOLDS_AFTER.match(after)
        relocated = _RELOCATE_BEFORE.search(before) or _RELOCATE_AFTER.match(sentence_after)
        if households and _REHOUSED_AFTER.match(after[households.end() :]):
            return Proposal(
                "indicator/households-rehoused",
                "BeneficiaryCount",
                "households that moved into new houses: a new indicator named after it",
                label="households moved into new houses",
            )
        if households and relocated:
            return Proposal(
                _known("indicator/households-relocated", known), "BeneficiaryCount", "households moved or resettled"
            )
        if _PEOPLE_AFTER.match(after) and relocated:
            return Proposal(
                _known("indicator/people-relocated", known),
                "BeneficiaryCount",
                "people moved or resettled",
                over_attribute=True,
            )
        reached_by_industry = _REACH_BEFORE.search(before) and _INDUSTRY.search(before)
        if households and (_DRIVE_BEFORE.search(before) or reached_by_industry):
            return Proposal(
                _known("indicator/families-helped", known),
                "BeneficiaryCount",
                "households a program or an enterprise drove (helped) out of poverty",
            )
        firms = _FIRMS_AFTER.match(after) and _SUPPORTED.search(before[-60:])
        if firms and not _MADE.search(f"{before[-60:]} {after[:60]}"):
            return Proposal("", "StatisticalFigure", "a count of enterprises or cooperatives the region has")
    roads = _ROADS_AFTER.match(after) if m.unit == "KM" else None
    if roads and _HARDENED.search(re.split(r"[.;。]\s", f"{before[-40:]} {after}", maxsplit=1)[0]):
        road = " ".join(roads.group(1).lower().split())
        slug = re.sub(r"[^a-z]+", "-", road).strip("-")
        return Proposal(f"indicator/{slug}-hardened", "OutputCount", "roads hardened", label=f"{road} hardened")
    if m.unit == "CNY" and _AID_MONEY.match(after):
        return Proposal(_known("indicator/assistance-funds", known), "", "aid money (assistance funds)")
    if m.unit == "CNY" and (_FOR_TRAINING.match(after) or _TRAINING_FUNDS_BEFORE.search(before)):
        return Proposal(_known("indicator/training-funds", known), "", "money for training")
    if m.unit == "CNY" and _NET_INCOME.search(before):
        return Proposal(
            _known("indicator/rural-per-capita-net-income", known), "StatisticalFigure", "the per capita net income"
        )
    more = _MORE_INCOME.match(after)
    if m.unit == "CNY" and more:
        per = _PER.match(after[more.end() :])
        each = _EACH_BEFORE.search(before)  # "… households, each gaining N Yuan more income"
        per_what = per.group(1).lower() if per else _SINGULAR.get(each.group(1).lower(), "") if each else ""
        per_what = _SINGULAR.get(per_what, per_what)
        return Proposal(
            f"indicator/income-increase-per-{per_what}" if per_what else "indicator/income-increase",
            "StatisticalFigure",
            "an income gained: a new indicator named after it",
            label=f"income increase per {per_what}" if per_what else "income increase",
        )
    if m.unit in ("CNY", "COUNT", "KM", "MU", "HECTARE", "TONNE", "KG") and average_type(text, m, sentence_start):
        per = _PER.match(text[m.end : m.end + 60]) if m.unit == "CNY" else None
        kind = _MONEY_KIND.search(text[max(sentence_start, m.start - 60) : m.start]) if per else None
        if per and kind:  # "subsidies of N Yuan per student": money of its own kind, per unit (a new indicator)
            unit_word = _SINGULAR.get(per.group(1).lower(), per.group(1).lower())
            unit_word = {"people": "person"}.get(unit_word, unit_word)
            word = _KIND_NOUN[kind.group(1).lower()[:5]]
            return Proposal(
                f"indicator/{word}-per-{unit_word}",
                "StatisticalFigure",
                f"an amount of {word} per {unit_word}: a new indicator named after it",
                label=f"{word} per {unit_word}",
            )
        return Proposal(per_indicator(text, m, known), "StatisticalFigure", "an average or an amount per unit")
    return None


def _trained(text: str, m: Mention, sentence_start: int, known: Collection[str]) -> Proposal | None:
    """People trained, or attendances of training: the clause around the number (not past another number or the
    sentence) speaks of training, and the number counts people or names nothing."""
    if m.unit not in ("COUNT", "PERSON_TIME"):
        return None
    before = re.split(rf"[;:]|{_NOT_A_YEAR}[\d,.]*", text[max(sentence_start, m.start - 100) : m.start])[-1]
    after = re.split(rf"[.;:。]\s|{_NOT_A_YEAR}", text[m.end : m.end + 100], maxsplit=1)[0]
    if not _TRAINING.search(f"{before} {after}") or _JOB_AFTER.search(after):
        return None
    if m.unit == "PERSON_TIME":
        return Proposal(_known("indicator/training-person-times", known), "BeneficiaryCount", "attendances of training")
    if not (_PERSONS_AFTER.match(after) or _NO_NOUN_AFTER.match(after)):
        return None  # "held 320 training courses": the courses
    return Proposal(_known("indicator/people-trained", known), "BeneficiaryCount", "people a clause of training counts")


def _advancement(text: str, m: Mention, before: str, after: str, known: Collection[str]) -> Proposal | None:
    """Villages of entire village advancement: carried out in the year, or completed (to date)."""
    # the words after the number up to the next number or the sentence's end: what is said of these villages
    sentence_after = re.split(rf"[.;。]\s|{_NOT_A_YEAR}", after, maxsplit=1)[0]
    part = re.search(r"\b(?:of\s+which|of\s+them|among\s+them)\s*,?\s*$", before, re.IGNORECASE)
    if not (_VILLAGES_NOUN.match(after) or (part and _COMPLETED_AFTER.match(sentence_after))):
        return None  # "…, of which 1,940 finished": villages still, the part of a count of villages
    window = re.split(r"[.;。]\s", text[max(0, m.start - 200) : m.start])[-1]  # this sentence, before the number
    near = re.split(_NOT_A_YEAR, window)[-1]  # since the number before it
    if not (_ADVANCEMENT.search(window) or _ADVANCEMENT.search(sentence_after)):
        return None
    if _COMPLETED_AFTER.match(sentence_after) or _COMPLETED_BEFORE.search(before):
        to_date = _TO_DATE.search(f"{before[-60:]} {sentence_after}")
        indicator = "indicator/villages-completed-advancement" + ("-to-date" if to_date else "")
        return Proposal(_known(indicator, known), "OutputCount", "villages that completed it", over_total=True)
    if not (_ADVANCEMENT.search(near) or _ADVANCEMENT.search(sentence_after)):
        return None  # "…, brought broadcasting to 230 villages": another thing done in the same sentence
    return Proposal(
        _known("indicator/villages-in-advancement", known), "OutputCount", "villages where it was carried out"
    )


def shares_after(text: str, m: Mention) -> bool:
    """A percentage of a plan, a target or a total named after it ("96% of the annual plan"): a Share."""
    return m.unit == "PERCENT" and _SHARE_AFTER.match(text, m.end) is not None


def average_type(text: str, m: Mention, sentence_start: int) -> bool:
    """Is the number an average or an amount per unit ("N Yuan per village", "an average of N", "each gaining N
    more income")? Such a number describes, it allocates nothing: a StatisticalFigure."""
    before = text[max(sentence_start, m.start - 80) : m.start]
    after = re.split(r"[.;。]\s", text[m.end : m.end + 60], maxsplit=1)[0]  # this sentence only
    if m.unit == "COUNT":  # "N rural residents had a per capita income below …": the people, not an average
        return _AVERAGE_BEFORE.search(before) is not None
    if m.unit == "CNY" and _INCOME.search(f"{before[-60:]} {after[:40]}"):
        return True
    return bool(_PER.match(after) or _AVERAGE_BEFORE.search(before) or _ON_AVERAGE_AFTER.match(after))


def per_indicator(text: str, m: Mention, known: Collection[str]) -> str:
    """The shipped "funds per X" indicator of money per X when the money is plain funds or investment."""
    if m.unit != "CNY":
        return ""
    per = _PER.match(text[m.end : m.end + 60])
    # "each household received N yuan for …", "every village got N": the unit is the noun "each" or "every" counts
    each = None if per else _EACH_UNIT.search(text[max(0, m.start - 60) : m.start])
    if not per and not each:
        return ""
    around = text[max(0, m.start - 60) : m.start].lower()
    if _INCOME.search(around) or re.search(r"\b(?:subsid|loan|grant|wage|salar|pric|cost)", around):
        return ""  # money of its own kind: a new indicator named after it
    said = (per or each).group(1).lower()  # type: ignore[union-attr]
    unit = {"capita": "person", "head": "person", "people": "person", "persons": "person"}.get(said, said)
    # "allocated N Yuan for relocation, 182,000 Yuan for each family": the funds per family of that purpose, when
    # the vocabularies hold one whose words the sentence uses
    sentence = re.split(r"[.;。]\s", text[max(0, m.start - 200) : m.start])[-1].lower()
    purposes = sorted(
        k for k in known if k.endswith(f"-funds-per-{unit}") and k[len("indicator/") :].split("-")[0] in sentence
    )
    return purposes[0] if purposes else _known(f"indicator/funds-per-{unit}", known)


def grows_after(text: str, m: Mention) -> bool:
    """A percentage followed by the words of a growth ("21.0% higher than in 2010", "up on last year")."""
    return m.unit in ("PERCENT", "PERCENTAGE_POINT") and _GROWTH_AFTER.match(text, m.end) is not None


def readable_words(words: list[str]) -> list[str]:
    """The words of a new indicator's id without those that say nothing of what is counted."""
    kept = [w for w in words if w not in FILLER_WORDS and not w.isdigit()]
    if len(kept) > 1 and kept[-1] == "well" and "as" in words[-3:]:
        kept.pop()  # "dispatched 50 guides as well": "as well" says nothing of what is counted
        if kept[-1] == "as":
            kept.pop()
    return kept
