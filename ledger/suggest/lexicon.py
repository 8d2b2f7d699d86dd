"""The words the suggester knows: attribution verbs, outlets, roles, anonymity phrases.

Kept apart from the rules so that a newsroom can see (and extend) what the
suggester recognises without reading any regular-expression logic. Every list
is about English news prose in general; none is tuned to one article.
"""

# ruff: noqa: RUF001  (typographic quotation marks, apostrophes and dashes are the subject here)

from __future__ import annotations

import re

from ledger.suggest.record_words import DOCUMENT_WORDS
from ledger.suggest.record_words import RECORDING_WORDS as RECORDING_WORDS


def singular(word: str) -> str:
    """The lowercase singular of a plural noun: "officials", "witnesses", "agencies"."""
    lower = word.lower().rstrip(".")
    if lower.endswith("men") and len(lower) > 4 and lower not in {"specimen", "abdomen"}:
        return lower[:-3] + "man"  # "spokesmen", "gunmen", "women"
    if lower.endswith("ies") and len(lower) > 4:
        return lower[:-3] + "y"
    if lower.endswith(("sses", "ches", "shes", "xes", "zzes")) and len(lower) > 4:
        return lower[:-2]
    if lower.endswith("s") and not lower.endswith(("ss", "us")) and len(lower) > 3:
        return lower[:-1]
    return lower


def words(text: str) -> frozenset[str]:
    """A word list written as running text, one word per whitespace."""
    return frozenset(text.split())


# Verbs of judgement that take an object and "to be": "the panel found the contract to be unlawful".
JUDGING_VERBS = words("found finds ruled declared believed believes")
# Verbs of attribution, every inflection spelled out (no stemming: "states" and
# "claims" are nouns too often). `STRONG` verbs take a bare complement ("said the
# figure was higher"); `WEAK` ones only count with "that", a colon, or the content
# before them ("“...,” she added."), because they have other senses ("added 200 jobs").
STRONG_VERBS = words(
    """said says say told tells tell claimed claims claim confirmed confirms confirm
    denied denies deny reported reports announced announces acknowledged acknowledges
    alleged alleges disclosed revealed reveals admitted admits conceded concedes
    believes believe accused accuses blamed blames blame stated states stating report"""
)
WEAK_VERBS = words(
    """added adds adding saying insisted insists insisting warned warns warning
    explained explains noted notes noting argued argues asserted asserts
    wrote writes tweeted stressed stresses emphasized emphasised maintained maintains
    contended predicted cautioned recalled recalls remembers recounted recounts
    complained countered replied estimated
    estimates confirming denying telling repeated reiterated concluded suggested
    suggests hinted signaled signalled speculated boasted observed remarked assured
    testified declared affirmed charged lamented acknowledging explaining arguing
    claiming alleging suggesting recalling announcing conceding found finds
    mentioned mentions indicated indicates ruled rules insist warn argue note explain
    maintain contend predict complain reply repeat reiterate conclude testify declare
    acknowledge admit concede allege reveal disclose caution cautions determined
    project projects projected forecast forecasts commented comments fear fears feared
    vowed vows vowing suggest speculated speculates theorized theorised hypothesized
    hypothesised surmised continued continues"""
) | {"pointed out", "made clear", "made it clear", "makes clear", "makes it clear"}
# "gave evidence that C": a witness at a hearing or a trial; never with the content before it
EVIDENCE_VERBS = frozenset({"gave evidence", "gives evidence", "giving evidence"})
WEAK_VERBS |= EVIDENCE_VERBS
FEAR_VERBS = words("fear fears feared")
TELL_VERBS = frozenset({"told", "tells", "tell", "telling"})
# Verbs that take the person addressed before the content: "assured council members that C".
OBJECT_VERBS = words(
    """assured assures informed informs warned warns reminded reminds promised promises
    notified briefed advised convinced persuaded"""
)
# Words set off by commas between a verb and its content: "cautioned, however, that C".
ASIDES = (
    r"(?:however|though|nonetheless|nevertheless|too|also|again|in fact|moreover|instead|still)"
)
# Verbs that things do too ("the dialogue suggested"): a cue only after someone who can speak.
THING_VERBS = words("suggest suggested suggests suggesting hinted signaled signalled indicated")
# Who wrote a study, by any of its names ("scientists report", then "the researchers
# speculated"), and the study itself: what the study "found" and what either "suggest" is a
# finding, whatever follows the verb ("the analysis found high levels of lead").
AUTHORS = words("scientist researcher author academic team")
STUDY_WORDS = AUTHORS | words("study survey analysis review trial paper investigation")
FINDING_VERBS = words("found finds find suggest suggests suggested")
# Verbs that only ever take a clause: a bare complement after them is what was said
# ("speculated the spikes deter predators"), where "added 200 jobs" is a thing.
CLAUSE_VERBS = words(
    """speculated speculates theorized theorised hypothesized hypothesised surmised insisted
    insists contended argued argues asserted asserts"""
)
DENY_VERBS = frozenset({"denied", "denies", "deny", "denying"})
DENY_RE = re.compile(r"(?<![\w-])den(?:ied|ies|y|ying)\s*$")
# Verbs that may come before their subject: "“...,” said the minister."
INVERTIBLE = frozenset(
    {
        "said",
        "says",
        "added",
        "adds",
        "explained",
        "wrote",
        "writes",
        "noted",
        "notes",
        "insisted",
        "warned",
        "reported",
        "reports",
    }
)
# Participles whose subject is the previous clause's: "..., adding that ...".
ELIDING = words(
    """adding saying noting insisting warning confirming claiming stressing arguing
    explaining acknowledging admitting announcing alleging stating recalling conceding
    reiterating asserting contending predicting vowing telling"""
)

_VERBS = "|".join(
    re.escape(verb) for verb in sorted(STRONG_VERBS | WEAK_VERBS, key=len, reverse=True)
)
VERB_RE = re.compile(rf"(?<![\w-])(?:{_VERBS})(?![\w-])")
ACCORDING_RE = re.compile(r"(?<![\w-])[Aa]ccording to(?![\w-])")
CITING_RE = re.compile(r"(?<![\w-])(?:[Cc]iting|cited|quoted|[Qq]uoting)(?![\w-])")
REPORTEDLY_RE = re.compile(r"(?<![\w-])(?:reportedly|purportedly)(?![\w-])")
# "a report in The Wall Street Journal that ..."
REPORT_NOUN_RE = re.compile(
    r"(?<![\w-])(?:(?:a|an|the|an earlier|a recent|a new)\s+)?(?:news\s+)?reports?\s+(?:in|by|from|on)\s+"
)
# "reports that ...", "Trump's claims that ...": a claim whose owner is named, or nobody.
NOUN_CUE_RE = re.compile(
    r"(?<=[’']s )(?:allegations|claims|accusations|assertion|suggestion|statement|report)\s+that\b"
)
# "allegations by the Committee to Protect Journalists that C": the owner is named after it.
NOUN_BY_RE = re.compile(
    r"(?<![\w-])(?:allegations|claims|accusations|assertions?|suggestions?|charges|warnings?)\s+"
    r"(?:by|from)\s+"
)
# Verbs of stance that take a thing rather than a clause: "dismissed the allegations",
# "cast doubt on the report", "cautioned against optimism". The verb phrase is the claim.
STANCE_RE = re.compile(
    r"(?<![\w-])(?:dismiss(?:ed|es)?|reject(?:ed|s)?|disput(?:ed|es|e)|downplay(?:ed|s)?|"
    r"disagree(?:d|s)?\s+with|discount(?:ed|s)?|declared\s+(?:himself|herself|itself|themselves)|"
    r"claim(?:ed|s)\s+victory|attribut(?:ed|es)\s+(?:the|its|their|his|her)\s+"
    r"(?:[\w-]+\s+){0,3}?to|"
    r"put(?:s|ting)?\s+the\s+(?:[\w’'-]+\s+)?(?:toll|number|figure|cost|count|total|magnitude|"
    r"size|damage|losses|estimate)(?:\s+(?:of|from|in)\s+(?:[\w’'-]+\s+){1,4}?)?\s*at|"
    r"play(?:ed|s)\s+down|cast(?:s)?\s+doubt\s+on|call(?:ed|s)(?=\s+(?:[\w’'-]+\s+){1,5}?into\s+question)|"
    r"warn(?:ed|s)\s+of|bat(?:ted|s)\s+down|"
    r"caution(?:ed|s)\s+against|warn(?:ed|s)\s+against|refut(?:ed|es)|rebuff(?:ed|s)|"
    r"brush(?:ed|es)\s+(?:aside|off)|concur(?:red|s)\s+(?:with|that)|"
    r"(?:express|voic)(?:ed|es)\s+(?:(?:some|serious|deep|grave|growing|their|his|her|its)\s+)?"
    r"(?:concerns?|doubts?|fears?|hopes?|optimism|confidence|skepticism|scepticism|"
    r"reservations|surprise|regret|frustration|anger|disappointment|support|opposition))(?![\w-])"
)
# Of these, the ones that also name acts ("the court rejected the appeal", "denied bail")
# are a stance only when their object is something said.
ACT_STANCE_RE = re.compile(
    r"(?:dismiss|reject|disput|refut|rebuff|den[iy]|discount)", re.IGNORECASE
)
SAID_THINGS_RE = re.compile(
    r"(?<![\w-])(?:allegations?|claims?|reports?|reporting|suggestions?|accusations?|notions?|"
    r"ideas?|speculation|charges?|criticism|assertions?|characteri[sz]ations?|rumou?rs?|"
    r"accounts?|findings?|conclusions?|assessments?|story|stories|statements?|comments?|"
    r"remarks?|version|narrative|theory|theories|figures?|estimates?|talk|concerns?|fears?|"
    r"warnings?|suspicions?|speculations?|suggestion|insinuations?|premise|link|links|"
    r"involvement|wrongdoing|responsibility|knowledge|existence|allegations)(?![\w-])",
    re.IGNORECASE,
)
# "Authorities described the gunman as ...": the description is the claim.
DESCRIBED_RE = re.compile(
    r"(?<![\w-])(?:described|describes|describe|describing|characteri[sz](?:ed|es|e|ing)|"
    r"portray(?:ed|s|ing)?|tout(?:ed|s|ing)|hail(?:ed|s|ing)|calling|list(?:ed|s)|"
    r"brand(?:ed|s)|label(?:l?ed|s)|denounc(?:ed|es)|condemn(?:ed|s)(?=\s+(?:[\w’'-]+\s+){1,6}?as\s)|"
    r"refer(?:red|s)\s+to|identif(?:ied|ies)(?!\s+(?:himself|herself|themselves|itself)\b)|put(?:s|ting)?(?=\s+(?:[\w’'-]+\s+){1,3}as\s)|"
    r"call(?:ed|s)(?!\s+(?:for|on|off|up|in|out|back|into|upon|police|him\s+back)\b))(?![\w-])"
)
# "Television footage showed ...", "Records show ...": a recording or document speaks.
SHOWED_RE = re.compile(
    r"(?<![\w-])(?:showed|shows|show|revealed|indicated|indicate|indicates)(?![\w-])"
)
EVIDENCE_WORDS = words(
    """footage video videos images image photos photo pictures photographs recording
    recordings records data documents document filings figures results study survey
    poll polls tests test analysis statistics census emails messages logs reports"""
)
# "It was suggested that ...": an assertion with no source at all.
IMPERSONAL_RE = re.compile(
    r"(?<![\w-])[Ii]t\s+(?:is|was|has\s+been|had\s+been)\s+(?:widely\s+)?(reported|suggested|"
    r"claimed|alleged|said|understood|believed|rumou?red)\s+that\b"
)
# Of those, the ones that only hedge the article's own voice: no one is said to have spoken.
HEDGES = words("understood believed rumored rumoured")
# Norms, not sources: "according to the rules", "according to plan".
NOT_SOURCES_RE = re.compile(
    r"(?:the\s+)?(?:rules?|law|laws|tradition|custom|protocol|regulations|plan|schedule|"
    r"the\s+constitution|terms|reports?)\b",
    re.IGNORECASE,
)

# Words before "reports", "claims", "notes" that make it a noun ("media reports").
NOUN_MARKERS = words(
    """the a an these those such media news press earlier recent unconfirmed initial
    his her their its our my your of on to about over in with by from for and or
    numerous several many some any no false similar other"""
)
# Auxiliaries: "was reported" is passive, "has said" is not.
PASSIVE_AUX = frozenset({"is", "are", "was", "were", "be", "been", "being"})
TRAILING_ADVERBS = words(
    """also later earlier previously separately further then again has have had soon
    would will once repeatedly publicly privately recently first initially later
    had has already reportedly still even"""
)
VERBISH = words(
    """is are was were be been being has have had do does did will would can could
    may might must should shall"""
)
RELATIVE = frozenset({"who", "whom", "whose", "which", "that", "who've", "who’ve", "who's"})
PRONOUNS = {
    "he": "singular",
    "she": "singular",
    "him": "singular",
    "her": "singular",
    "they": "plural",
    "it": "thing",
    "which": "relative",
    "who": "relative",
}

DAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan\\.|feb\\.|aug\\.|sept?\\.|oct\\.|nov\\.|dec\\."
)
WHEN = rf"(?:{DAYS}|{MONTHS}|yesterday|today|tonight|week|month|year|weekend|morning|afternoon|evening|night|fall|spring|summer|winter|\d{{4}})"

# Spoken-to audiences that are not a link in the chain ("told reporters").
AUDIENCES = re.compile(
    r"(?:a |an |the |his |her |their |its |visiting |local |foreign )?"
    r"(?:reporters|journalists|news conference|press conference|briefing|news briefing|"
    r"lawmakers|legislators|parliament|senators|congress|the court|court|jury|judge|"
    r"supporters|crowd|audience|delegates|investors|analysts|students|residents|members|"
    r"committee|panel|hearing|conference|media|press|staff|employees|colleagues|meeting|"
    r"gathering|rally|session|assembly|crowds?|followers|jurors|inquiry|inquest|tribunal)\b",
    re.IGNORECASE,
)

# Outlets: canonical key, label, and the ways they are written. Aliases are
# matched case-sensitively ("AP", "the Journal"), so "ap" in a word never counts.
OUTLETS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    # key, label, type, aliases
    (
        "ap",
        "AP",
        "agency",
        ("The Associated Press", "the Associated Press", "Associated Press", "AP"),
    ),
    ("reuters", "Reuters", "agency", ("Reuters", "Thomson Reuters")),
    ("afp", "AFP", "agency", ("Agence France-Presse", "Agence France Presse", "AFP")),
    ("bloomberg", "Bloomberg", "agency", ("Bloomberg News", "Bloomberg")),
    ("dpa", "dpa", "agency", ("Deutsche Presse-Agentur", "dpa", "DPA")),
    ("xinhua", "Xinhua", "agency", ("Xinhua News Agency", "Xinhua")),
    ("tass", "TASS", "agency", ("TASS", "Tass")),
    ("ria-novosti", "RIA Novosti", "agency", ("RIA Novosti", "RIA")),
    ("interfax", "Interfax", "agency", ("Interfax",)),
    ("anadolu", "Anadolu", "agency", ("Anadolu Agency", "Anadolu")),
    ("efe", "EFE", "agency", ("EFE",)),
    ("ansa", "ANSA", "agency", ("ANSA",)),
    ("kyodo", "Kyodo", "agency", ("Kyodo News", "Kyodo")),
    ("yonhap", "Yonhap", "agency", ("Yonhap News Agency", "Yonhap")),
    ("pti", "PTI", "agency", ("Press Trust of India", "PTI")),
    ("irna", "IRNA", "agency", ("IRNA",)),
    ("sana", "SANA", "agency", ("SANA",)),
    ("pa", "PA", "agency", ("PA Media", "Press Association")),
    (
        "nyt",
        "The New York Times",
        "newspaper",
        ("The New York Times", "the New York Times", "New York Times", "NYT"),
    ),
    (
        "wsj",
        "The Wall Street Journal",
        "newspaper",
        (
            "The Wall Street Journal",
            "the Wall Street Journal",
            "Wall Street Journal",
            "WSJ",
            "the Journal",
        ),
    ),
    (
        "washington-post",
        "The Washington Post",
        "newspaper",
        ("The Washington Post", "the Washington Post", "Washington Post", "the Post"),
    ),
    ("guardian", "the Guardian", "newspaper", ("The Guardian", "the Guardian", "Guardian")),
    (
        "financial-times",
        "the Financial Times",
        "newspaper",
        ("The Financial Times", "the Financial Times", "Financial Times", "the FT", "FT"),
    ),
    (
        "la-times",
        "the Los Angeles Times",
        "newspaper",
        ("The Los Angeles Times", "the Los Angeles Times", "Los Angeles Times", "L.A. Times"),
    ),
    (
        "the-times",
        "The Times",
        "newspaper",
        (
            "The Times of London",
            "The Times",
        ),
    ),
    (
        "telegraph",
        "The Telegraph",
        "newspaper",
        ("The Daily Telegraph", "The Telegraph", "the Telegraph"),
    ),
    ("independent", "The Independent", "newspaper", ("The Independent",)),
    ("economist", "The Economist", "newspaper", ("The Economist",)),
    ("usa-today", "USA Today", "newspaper", ("USA Today", "USA TODAY")),
    ("politico", "Politico", "newspaper", ("Politico", "POLITICO")),
    ("axios", "Axios", "newspaper", ("Axios",)),
    ("haaretz", "Haaretz", "newspaper", ("Haaretz",)),
    ("le-monde", "Le Monde", "newspaper", ("Le Monde",)),
    ("der-spiegel", "Der Spiegel", "newspaper", ("Der Spiegel", "Spiegel")),
    ("bbc", "BBC", "broadcaster", ("the BBC", "The BBC", "BBC News", "BBC")),
    ("cnn", "CNN", "broadcaster", ("CNN",)),
    ("voa", "VOA", "broadcaster", ("Voice of America", "VOA")),
    ("nbc", "NBC News", "broadcaster", ("NBC News", "NBC")),
    ("cbs", "CBS News", "broadcaster", ("CBS News", "CBS")),
    ("abc-news", "ABC News", "broadcaster", ("ABC News", "ABC")),
    ("fox-news", "Fox News", "broadcaster", ("Fox News",)),
    ("npr", "NPR", "broadcaster", ("NPR",)),
    ("al-jazeera", "Al Jazeera", "broadcaster", ("Al Jazeera", "Al-Jazeera")),
    ("al-arabiya", "Al Arabiya", "broadcaster", ("Al Arabiya", "Al-Arabiya")),
    ("sky-news", "Sky News", "broadcaster", ("Sky News",)),
    ("rt", "RT", "broadcaster", ("RT",)),
    ("dw", "Deutsche Welle", "broadcaster", ("Deutsche Welle", "DW")),
    ("cnbc", "CNBC", "broadcaster", ("CNBC",)),
    ("msnbc", "MSNBC", "broadcaster", ("MSNBC",)),
    ("pbs", "PBS", "broadcaster", ("PBS",)),
    ("cbc", "CBC", "broadcaster", ("CBC News", "CBC")),
    ("itv", "ITV", "broadcaster", ("ITV News", "ITV")),
    ("tmz", "TMZ", "newspaper", ("TMZ",)),
    ("e-news", "E! News", "broadcaster", ("E! News", "E! Online")),
    (
        "new-york-post",
        "New York Post",
        "newspaper",
        (
            "The New York Post",
            "the New York Post",
            "New York Post",
            "Page Six",
            "the Post's Page Six",
        ),
    ),
    ("daily-mail", "Daily Mail", "newspaper", ("The Daily Mail", "the Daily Mail", "Daily Mail")),
    ("the-sun", "The Sun", "newspaper", ("The Sun", "the Sun")),
    ("the-hill", "The Hill", "newspaper", ("The Hill", "the Hill")),
    ("buzzfeed", "BuzzFeed News", "newspaper", ("BuzzFeed News", "BuzzFeed")),
    ("huffpost", "HuffPost", "newspaper", ("HuffPost", "The Huffington Post", "Huffington Post")),
    ("daily-beast", "The Daily Beast", "newspaper", ("The Daily Beast", "the Daily Beast")),
    ("vox", "Vox", "newspaper", ("Vox",)),
    ("newsweek", "Newsweek", "newspaper", ("Newsweek",)),
    ("time", "Time", "newspaper", ("Time magazine", "TIME")),
    ("forbes", "Forbes", "newspaper", ("Forbes",)),
    ("business-insider", "Business Insider", "newspaper", ("Business Insider", "Insider")),
    ("the-atlantic", "The Atlantic", "newspaper", ("The Atlantic", "the Atlantic")),
    ("new-yorker", "The New Yorker", "newspaper", ("The New Yorker", "the New Yorker")),
    ("variety", "Variety", "newspaper", ("Variety",)),
    ("people", "People", "newspaper", ("People magazine",)),
    ("scmp", "South China Morning Post", "newspaper", ("South China Morning Post", "SCMP")),
    ("global-times", "Global Times", "newspaper", ("Global Times", "the Global Times")),
    ("china-daily", "China Daily", "newspaper", ("China Daily",)),
    ("nikkei", "Nikkei", "newspaper", ("Nikkei Asia", "Nikkei")),
    (
        "times-of-israel",
        "The Times of Israel",
        "newspaper",
        ("The Times of Israel", "the Times of Israel"),
    ),
    (
        "jerusalem-post",
        "The Jerusalem Post",
        "newspaper",
        ("The Jerusalem Post", "the Jerusalem Post"),
    ),
    (
        "times-of-india",
        "The Times of India",
        "newspaper",
        ("The Times of India", "the Times of India"),
    ),
    ("dawn", "Dawn", "newspaper", ("Dawn newspaper",)),
    ("kommersant", "Kommersant", "newspaper", ("Kommersant",)),
    ("sputnik", "Sputnik", "agency", ("Sputnik",)),
    ("isna", "ISNA", "agency", ("ISNA",)),
    ("fars", "Fars", "agency", ("Fars News Agency", "Fars")),
    ("tasnim", "Tasnim", "agency", ("Tasnim News Agency", "Tasnim")),
    ("press-tv", "Press TV", "broadcaster", ("Press TV", "PressTV")),
    ("ani", "ANI", "agency", ("ANI",)),
    ("bernama", "Bernama", "agency", ("Bernama",)),
    ("malaysiakini", "Malaysiakini", "newspaper", ("Malaysiakini",)),
    ("straits-times", "The Straits Times", "newspaper", ("The Straits Times", "the Straits Times")),
)
# Descriptions that name an outlet without naming it ("the news agency").
OUTLET_WORDS = {
    "agency": ("news agency", "wire service", "agency"),
    "newspaper": ("newspaper", "paper", "daily", "weekly", "tabloid", "magazine", "journal"),
    "broadcaster": ("broadcaster", "channel", "network", "television", "tv", "radio", "station"),
}
# Words in the names of newspapers and broadcasters: "the Northfield Herald", "the Times".
OUTLET_NAME_RE = re.compile(
    r"\b(?:Times|Post|Journal|Herald|Tribune|Gazette|Courier|Chronicle|Daily|Telegraph|Observer|"
    r"Star|Sun|Record|Register|Mail|Express|Standard|Examiner|Inquirer|Dispatch|Bulletin|"
    r"Monitor|Press|Review|Magazine|Radio|Television|TV|News)\b"
)
OUTLET_GENERIC_RE = re.compile(
    r"\b(?:news agency|wire service|newspaper|daily|tabloid|magazine|broadcaster|"
    r"channel|network|television|TV|radio|news site|news outlet|outlet|media)\b"
)

# Roles that "the official" may refer back to.
OFFICIAL_ROLES = words(
    """official minister spokesman spokeswoman spokesperson secretary director commissioner
    governor mayor ambassador envoy officer administrator chairman chairwoman president
    chief superintendent"""
)
# Offices held by one person at a time: "the prime minister" names someone, as a name would.
OFFICES = frozenset(
    {
        "president",
        "prime minister",
        "chancellor",
        "king",
        "queen",
        "pope",
        "premier",
        "mayor",
        "governor",
        "secretary-general",
        "attorney general",
        "chief justice",
        "police chief",
        "speaker",
        "vice president",
        "first lady",
        "crown prince",
        "emir",
        "sultan",
    }
)
# Nouns that describe a person by role: their bare or indefinite use is anonymous.
ROLE_NOUNS = words(
    """official source person people spokesman spokeswoman spokesperson representative
    diplomat officer aide adviser advisor insider lawmaker legislator member employee
    worker resident witness expert analyst lawyer attorney executive investor trader
    observer activist soldier fighter rebel militant commander leader negotiator
    mediator consultant banker doctor director manager chief gunman gunmen staffer
    investigator prosecutor agent operative minister politician relative friend
    neighbour neighbor villager survivor victim student teacher individual figure
    man woman men women someone reporter journalist author writer editor correspondent
    columnist critic supporter opponent protester voter citizen sergeant inspector nurse
    engineer physician surgeon miner foreman pilot guard banker researcher scientist
    economist professor lecturer academic coach player captain mayor governor senator
    councillor councilor chairman chairwoman president secretary superintendent
    administrator auditor accountant farmer parent mother father passenger driver
    principal owner founder detective constable commissioner judge defendant plaintiff
    counsel clerk adviser contractor technician mechanic firefighter paramedic medic
    volunteer organiser organizer campaigner strategist pollster historian specialist
    envoy ambassador premier chancellor publicist referee athlete widow husband wife son
    daughter brother sister fisherman shopkeeper landlord tenant customer patient
    eyewitness bystander motorist commuter crew sailor pupil inmate prisoner detainee
    suspect juror general colonel major lieutenant admiral commandant agent teenager
    boy girl child resident family families colleague coworker co-worker"""
)
ORG_WORDS = words(
    """department ministry agency company firm government administration office embassy
    kremlin pentagon army military police party committee council commission court
    union group coalition bank university campaign camp inc corp ltd co association
    foundation institute organization organisation authority authorities board service
    command team club league senate congress parliament cabinet regime movement front
    house bureau secretariat mission force forces navy federation alliance presidency
    prosecutors' laboratory hospital school airline holdings labs corporation components
    systems technologies industries airlines airways motors pharmaceuticals pharma
    therapeutics energy mining partners capital securities solutions foods brands
    enterprises ventures logistics shipping telecom manufacturer maker operator carrier
    retailer developer supplier insurer lender utility utilities exchange trust alliance
    network directorate opposition inc ltd llc plc regulator watchdog inspectorate"""
)
# What "the company" may refer back to.
COMPANY_WORDS = words(
    """company firm group organization organisation business corporation manufacturer
    maker operator carrier retailer developer supplier insurer lender utility"""
)
# Nouns that name a news outlet without naming it ("the paper", "the publication").
MEDIA_WORDS = frozenset(noun for nouns in OUTLET_WORDS.values() for noun in nouns) | {
    "media",
    "publication",
    "portal",
}
# Heads of a phrase that can be a source: a role, an organisation, a document, an outlet.
SPEAKER_HEADS = ROLE_NOUNS | ORG_WORDS | DOCUMENT_WORDS | MEDIA_WORDS
# Adverbs that may stand between a subject and its verb, longest first, for a regex.
ADVERBS_PATTERN = "|".join(sorted(TRAILING_ADVERBS, key=len, reverse=True))
UNIT_WORDS = words(
    """a an the one two three four five six seven eight nine ten several some
    many multiple various all both other another"""
)
STOP_WORDS = UNIT_WORDS | words(
    """of for in on at to with from by and or its his her their our its s this these those"""
)
