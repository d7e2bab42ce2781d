"""Count the questions a customer asks (rule CMS-3), in English and French.

Decisions:
- A sentence ending in "?" counts once, however it is written: "?", "??", "?!", or French
  "question ?" with a space, non-breaking space or narrow non-breaking space before "?".
- A sentence without "?" counts when it opens like a question: EN wh-word + auxiliary
  ("how do", "which version should"), auxiliary + subject ("can you", "is there"),
  "how to"; FR "est-ce que", inversion ("pouvez-vous", "faut-il", "le module est-il"),
  wh-word (comment, pourquoi, où, quel...; "quand" not followed by a subject);
  indirect questions ("I would like to know if", "je voudrais savoir si"). Statements
  that merely start with a wh-word ("How it works is fine.", "Quand je clique...") do
  not count, nor do exclamations ("!") or introductions ending in ":".
- A request for help or information counts like a question, with or without "?" or "!"
  (issue 16): "please help", an imperative asking for something ("send me the invoice",
  "merci de m'envoyer la facture", "envoyez-moi", "veuillez vérifier"), "I need help",
  "I would like a refund", "j'ai besoin d'aide", "any update on this". Courtesy formulas
  that look like imperatives do not ("please find attached", "have a nice day",
  "merci de votre aide", "let me know if you need access").
- Rhetorical questions and attention-getters count 0 even with "?": "Seriously?",
  "Is anyone there?", "Are you kidding me?", "C'est une blague ?", "Il y a quelqu'un ?".
- Several questions in one sentence: each clause after and/et, ",", ";" or ":" that itself
  opens like a question or a request counts ("How do I install it, how do I configure
  it?" = 2); alternatives count once ("Can I use it on 2.3 or 2.4?", "Does it work with
  WooCommerce or do I need Pro?" = 1: "A or B?" is one question). A framing clause
  ("can you tell me, is it...") is not a question of its own. A sentence ending in "?"
  counts at least once. A run-on without punctuation is split before a mid-sentence opener
  ("... not arrived can you check", "... pourriez vous regarder"); inversions typed without
  the hyphen ("pouvez vous") and greetings without a comma ("Hello I need help") count too.
- List items are sentences, so each question item counts; "I have 3 questions:" does not.
  Under an asking line ("I'd like answers to:", "j'aimerais savoir :") every item asks, and so
  does every inline item after an asking clause ("Please: 1) send X 2) reset Y").
- A generic "Can you help me?" counts only when nothing more specific is asked; a question
  restated ("I mean, ...", "je veux dire, ...") counts once; "¿" opens a question.
- Never counted: "?" in URLs (absolute or relative), code, SQL, logs and quoted machine
  text (strip_noise runs first; prose written after a log on the same line is kept),
  pleasantries ("How are you?", "Comment allez-vous ?"), bare greetings ("Hello??").
The text is the reader view of normalise.py (fullwidth "？" is "?", invisibles removed).
"""

import re
from dataclasses import dataclass

from chalicelib.text.clean import strip_noise
from chalicelib.text.normalise import Normalised, collapse_spaced, reader


@dataclass(frozen=True)
class QuestionCount:
    count: int
    questions: tuple[str, ...]


SENTENCE = re.compile(r"(?P<body>(?:[^?!.…]|[.…](?!\s|$))*)(?P<end>[?!]+|[.…]+|$)")
LIST_MARKER = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+")
CLAUSE_BREAK = re.compile(  # every break starts with a blank or one of ,;: (the lookahead skips the rest)
    r"(?=[\s,;:])(?:\s*[,;]?\s+(?:and|et)\s+|\s*[:;,]\s*|\s+(?=\d{1,2}[.)]\s)"
    r"|(?<=[^\W\d_]{3})\s+(?:(?:and\s+)?also\s+|(?:et\s+)?aussi\s+)?(?<!\bif\s)(?<!\bwhether\s)(?<!\bknow\s)"
    r"(?=(?:can|could|would) you\b|is it possible\b|do you (?:have|know|offer|sell|support)\b"
    r"|how (?:do|can) i\b|(?:pouvez|pourriez)[- ]vous\b|est[- ]ce qu|est[- ]il possible\b|comment (?:je|on|faire)\b"
    r"|is (?:there|it) (?:a|an|any|possible|known|normal)\b|when (?:can|will|could) (?:i|we|you|it)\b"
    r"|est[- ]ce (?:un|une|normal|possible|le|la)\b))",
    re.I,
)
INLINE_ITEM = re.compile(r"^\d{1,2}[.)]\s+")
ENUMERATION = re.compile(
    r"^(?P<frame>.{3,80}?)\s*:\s*(?P<items>[^:]+)$")
ENUMERATION_FRAME = re.compile(
    r"(?:advise|answer|reply|clarify|help)(?: me| us)? (?:on|with) (?:the following|\d|two|three|four|five|a few"
    r"|several)(?: points| questions| things)?|answers? to|réponses? à|(?:i|we)(?:['’]d| would)? (?:like to know|need|want|would like|have (?:a few|some|several"
    r"|two|three|four|five|\d) questions)|(?:i|we) (?:need|want) (?:\w+ )?(?:things|items|answers)"
    r"|(?:je |nous |j['’])(?:voudrais|voudrions|souhaite|souhaiterais|aimerais) (?:savoir|connaître|recevoir"
    r"|avoir)|j['’]ai besoin de|il me faut|(?:j['’]ai|nous avons) (?:quelques|plusieurs|deux|trois"
    r"|\d) questions",
    re.I,
)
ASK_FRAME = re.compile(  # a line or clause that announces the asks listed after it
    ENUMERATION_FRAME.pattern + r"|questions?\b|please\b|pls\b|kindly\b|(?:can|could|would) you\b|merci de\b"
    r"|veuillez\b|(?:pouvez|pourriez)[- ]vous\b", re.I)
INDIRECT = re.compile(r"\b(?:whether|know if|tell me if|wondering if|savoir si|dire si|demande si)\b", re.I)
CONTINUED_INDIRECT = re.compile(r"(?:whether|si|s['’]ils?)\b", re.I)
ITEM_BREAK = re.compile(r"\s*,\s*(?:and\s+|et\s+)?|\s*;\s*|\s+(?:and|et|plus)\s+", re.I)
LEAD = re.compile(
    r"^(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut)"
    r"(?:(?:\s+\w+)?\s*[,!]\s*|\s+(?=\w))|(?:so|also|and|but|ok|okay|well|then|first|second|third|finally"
    r"|lastly|please|et|mais|sinon|aussi|donc|alors|enfin|ensuite|puis|d'abord|seriously|honestly"
    r"|sérieusement|franchement|bref|anyway|si oui|if so)"
    r"\b(?![-'’]),?\s*)+",
    re.I,
)
PLEASANTRY = re.compile(
    r"(?:hello|hi|hey|allo|allô|bonjour|salut|how are (?:you|things)(?: doing)?(?: today)?"
    r"|(?:i )?hope you(?: are|'re) (?:well|fine|doing well)|comment (?:allez-vous|vas-tu)"
    r"|comment ça va|ça va|vous allez bien)\W*",
    re.I,
)

EN_AUX = (
    r"(?:can|could|would|will|should|shall|may|might|must|does|did|is|are|was|were|am|has|had"
    r"|(?:ca|could|would|wo|should|does|did|is|are|was|were|has|had|do|have)n['’]?t|cannot)"
)
EN_PRONOUN = (
    r"(?:i|you|u|we|they|he|she|it|there|this|that|these|those|someone|somebody|anyone"
    r"|anybody|anything|something|everything|one)"
)
EN_WH_IF = r"(?:how|what|why|when|where|which|who|whether|if)"
EN_DETERMINER = r"(?:the|my|your|our|their|its|his|her|a|an|any|some|all|each|every)"
EN_OPENERS = [
    rf"{EN_AUX}\s+(?:{EN_PRONOUN}|{EN_DETERMINER})\b",
    r"(?:do|have)\s+(?:i|you|u|we|they)\b",
    rf"(?:how|what|why|when|where|which|who|whom|whose)\s+(?:{EN_AUX}|do|have)\b",
    r"(?:what|where|who|how|when)['’](?:s|re)\b",
    r"(?:how|where|what)\s+to\b|how\s+(?:much|many|long|often|come)\b",
    rf"(?:which|what|whose)\s+(?!{EN_PRONOUN}\b)[\w'-]+(?:\s+[\w'-]+){{0,3}}?\s+(?:{EN_AUX}|do)\b",
    rf"(?:how|what|where|which|who|why)\s+{EN_PRONOUN}\s+(?:can|could|should|must)\b",
    rf"(?:i|we)(?:['’]d| would| want| wanted| need| needed)(?: like)? to know {EN_WH_IF}\b",
    rf"(?:i|we) (?:wonder|was wondering|were wondering|am wondering) {EN_WH_IF}\b",
    rf"(?:tell|show) (?:me|us) {EN_WH_IF}\b",
    r"let (?:me|us) know (?:how|what|why|when|where|which|who|whether)\b",
]
FR_WH = r"(?:comment|pourquoi|combien|où|quel(?:le)?s?|lequel|laquelle|lesquel(?:le)?s|qui)"
FR_VOUS_NOUS = (
    r"(?:pouvez|pourriez|avez|auriez|savez|sauriez|voulez|voudriez|devez|devriez|êtes"
    r"|seriez|pensez|comptez|connaissez|proposez|fournissez|gérez|prévoyez|offrez|acceptez"
    r"|faites|allez|utilisez|vendez)[- ]vous|(?:pouvons|pourrions|avons|aurions|devons"
    r"|devrions|sommes|serions|allons|faisons)[- ]nous"
)
FR_OPENERS = [
    r"(?:qu['’])?est[- ]ce\b",
    FR_VOUS_NOUS + r"\b",
    r"y a-t-il\b|que faire\b|ou est (?:le|la|les|l['’])|faut il\b",
    rf"(?!qui plus est\b)(?!comment (?:allez-vous|vas-tu)){FR_WH}\b",
    r"quand\s+(?!(?:je|j['’]|tu|il|elle|on|nous|vous|ils|elles|le|la|les|l['’]|un|une"
    r"|des|mon|ma|mes|ce|cette|ces|c['’]|ça|même)\b)",
    r"j(?:e |['’])(?:voudrais|aimerais|souhaiterais|souhaite|veux|voulais) savoir\b",
    r"je me demand(?:e|ais)\b",
    rf"(?:dites|indiquez|précisez)-(?:moi|nous) (?:si (?!ça|cela|c['’]est)|{FR_WH}\b)",
    rf"merci de me (?:dire|préciser|confirmer|indiquer) (?:si|{FR_WH})\b",
]
FR_INVERSION = re.compile(
    r"\b\w+(?:-t)?-(?:je|il|elle|on|ils|elles)\b|\b(?:peut|peux|pourrait|est|sont|faut|doit|doivent|va|vont|a|ont"
    r"|fonctionne|fonctionnent|marche|marchent|existe|gère|gèrent|reste|restent) (?:t )?(?:on|il|elle|ils|elles)\b"
    r"(?! (?:y|ne|n['’]|a|est|sont|va|faut|me|se|s['’]|en)\b)", re.I)
OPENERS = {
    "en": re.compile("|".join(EN_OPENERS), re.I),
    "fr": re.compile("|".join(FR_OPENERS), re.I),
}

EN_ASK_VERB = (
    r"(?:help|send|tell|explain|advise|fix|refund|contact|call|reply|respond|assist|guide"
    r"|confirm|provide|share|clarify|resolve|investigate|look into|check|forward|escalate"
    r"|get back to (?:me|us)|e-?mail (?:me|us)|re-?send|give (?:me|us)|show (?:me|us)"
    r"|let (?:me|us) know (?!if you)|sort (?:it|this) out)"
)
EN_REQUESTS = [
    rf"(?:please|pls|plz|kindly)\s+(?!(?:find|see|note|ignore|be |disregard|keep in mind"
    r"|accept|excuse|forgive|don't worry|do not worry)\b)\w+",
    r"(?:i|we)\s+(?:really\s+|urgently\s+)?(?:need|want|require|request)\s+(?:some\s+|your\s+|urgent\s+)?"
    r"(?:help|assistance|support|a refund|an? (?:answer|reply|response|update|fix|invoice|explanation"
    r"|solution|new (?:licen[cs]e|key|link|version))|the (?:invoice|fix|update|refund|licen[cs]e"
    r"(?: key)?|download link|file|patch)|you to|someone to)\b",
    r"(?:i|we)(?:['’]d| would)\s+(?:like|love|appreciate)\s+(?:you to|a |an |the |some |to (?:know"
    r"|get|receive|have|ask|request|obtain|be refunded|cancel|return)|help|assistance|a refund)",
    r"(?:i|we)(?:['’]m| am| are)\s+(?:looking for|asking for|requesting)\s+(?:help|a |an |the |some"
    r"|assistance|advice|support|information|info)",
    r"(?:i|we)\s+(?:really\s+|urgently\s+)?need\s+(?:the|a|an|your|my|our)\s+(?!(?:module|plugin|extension"
    r"|site|shop|store|page|checkout|cart)\s+to\b)\w+",
    r"(?:[\w'-]+\s+){1,8}?(?:please|pls|plz)$",
    r"(?:just\s+)?wondering\s+(?:if|whether|how|what|why|when|where|which)\b",
    r"(?:any|some)\s+(?:update|news|idea|ideas|help|advice|suggestions?|feedback|solution|fix|eta)s?\b",
    r"(?:need|urgent)\s+help\b|help\s+(?:needed|wanted|required)\b|sos\b",
    r"(?:can|could|would)\s+(?:someone|somebody|anyone|anybody)\s+(?:please\s+)?\w+",
]
FR_ASK_VERB = (
    r"(?:aider|envoyer|renvoyer|transmettre|dire|expliquer|indiquer|montrer|donner|confirmer"
    r"|préciser|contacter|rappeler|corriger|répondre|conseiller|communiquer|vérifier|regarder"
    r"|résoudre|réparer|rembourser|faire|fournir|mettre à jour|régler|débloquer|activer"
    r"|réinitialiser|installer|supprimer|annuler|modifier|changer|intervenir|traiter|examiner"
    r"|jeter un (?:œil|oeil)|tenir au courant|revenir vers (?:moi|nous))"
)
FR_IMPERATIVE = (
    r"(?:aidez|envoyez|renvoyez|transmettez|dites|expliquez|indiquez|montrez|donnez|confirmez"
    r"|précisez|contactez|rappelez|corrigez|répondez|conseillez|communiquez|vérifiez|regardez"
    r"|réglez|résolvez|réparez|remboursez|faites|fournissez|débloquez|activez|réinitialisez"
    r"|installez|supprimez|annulez|modifiez|changez|traitez|examinez|tenez)"
)
FR_REQUESTS = [
    rf"merci\s+(?:de|d['’])\s*(?:bien vouloir\s+)?(?:me |m['’]|nous |lui |leur )?(?:le |la |les |l['’])?"
    rf"{FR_ASK_VERB}",
    rf"veuillez\s+(?!(?:trouver|agréer|recevoir|noter|excuser|accepter)\b)\w+",
    r"(?:j['’]ai|nous avons|on a)\s+(?:vraiment\s+|urgemment\s+)?besoin\s+(?:d['’]aide|de (?:votre |vos |l['’])?"
    r"(?:aide|assistance|conseils?|support|réponse|facture|savoir)|que vous|d['’]une? |de la |du |des )",
    r"(?:je|nous)\s+vous\s+(?:remercie|remercions|saurais gré|serais reconnaissante?)\s+(?:de|d['’])\s*(?:bien vouloir\s+)?\w+",
    r"(?:[\w'’-]+\s+){1,8}?(?:svp|stp|s['’]il vous pla[iî]t|s['’]il te pla[iî]t)$",
    r"vous\s+(?:savez|sauriez|auriez une idée)\s+(?:si|d['’]où|où|pourquoi|comment|quand|ce qui|ce que)\b",
    r"(?:je|nous)\s+(?:voudrais|voudrions|souhaiterais|souhaiterions|souhaite|souhaitons|aimerais"
    r"|aimerions|veux|voulons|demande|demandons)\s+(?:être remboursée?s?|un remboursement|que vous"
    r"|recevoir|obtenir|avoir|connaître|une? |le |la |les |l['’]|des |votre aide|de l['’]aide"
    r"|annuler|récupérer)",
    r"(?:besoin d['’]aide|à l['’]aide|au secours|help)\b",
    r"(?:des|une) (?:nouvelles|idées?|solutions?|réponses?)\b(?!\s+(?:est|sont|a|ont)\b)",
    r"(?:quelqu['’]un|qqn)\s+(?:peut|pourrait|pour)\s+(?:m['’]|me |nous )?\w+",
]
REQUESTS = {
    "en": re.compile("|".join(EN_REQUESTS), re.I),
    "fr": re.compile("|".join(FR_REQUESTS), re.I),
}
IMPERATIVES = {  # only as the first words of a sentence that is not a list item (steps)
    "en": re.compile(rf"{EN_ASK_VERB}\b(?!\s+(?:is|was|are|were|has|had|does|did|works?|worked"
                     r"|failed|fails|doesn|didn|isn)\b)", re.I),
    "fr": re.compile(rf"{FR_IMPERATIVE}(?:-(?:moi|nous|le|la|les|en|y))*\b", re.I),
}
NOT_A_REQUEST = re.compile(
    r"(?:have|wish you) a (?:nice|good|great)|thank|thanks|merci (?:de|pour) (?:votre|vos|ta|ton"
    r"|l['’]|la|le|les)|merci d['’](?:avance|avoir)|bonne (?:journée|soirée)|let (?:me|us) know if you"
    r"|(?:see|find) (?:attached|below|enclosed|the attached)|help(?:ed|s|ful)\b|answer(?:ed|s)\b"
    r"|dites-(?:moi|nous) si (?:ça|cela|c['’]est) (?:marche|fonctionne|bon)|tenez-(?:moi|nous) au courant si",
    re.I,
)
RHETORICAL = re.compile(
    r"(?:seriously|really|sérieusement|vraiment|hello+|helloo+|hey+|allo|allô|anyone|anybody"
    r"|quelqu['’]un|personne|what the (?:hell|heck|fuck|f)|wtf|come on|why me|are you (?:serious"
    r"|kidding(?: me)?|joking)|you (?:must|have to) be kidding(?: me)?|is this a joke|(?:are you|is this)"
    r" for real|(?:is )?(?:any(?:one|body)|some(?:one|body)) (?:there|home|reading(?: this)?|listening"
    r"|alive|awake|out there|at all)|(?:hello+,? )?(?:is )?any(?:one|body) (?:there|home)|are you"
    r" (?:there|still there|alive|awake|listening|even reading(?: this)?|even there)|can (?:anyone"
    r"|anybody|someone|somebody|you) (?:hear|see|read) (?:me|this)|(?:is )?this thing on|how hard"
    r" can (?:it|this) be|what (?:kind|sort) of (?:support|service|company) is this|you call this"
    r" (?:support|service)|who does that|do you (?:even|ever) (?:read|care|work)(?: \w+)?"
    r"|c['’]est une blague|c['’]est (?:une plaisanterie|sérieux)|vous (?:êtes|etes) sérieux|vous"
    r" plaisantez|vous vous moquez de (?:moi|nous|qui)|on se moque de qui|(?:il )?y a quelqu['’]un"
    r"(?: (?:là|qui lit|qui répond))?|vous êtes là|vous dormez|c['’]est quoi ce (?:service|support"
    r"|délire|bordel)|vous appelez ça (?:un |du )?(?:support|service)|(?:et )?alors|non mais"
    r"|(?:answer|reply to|respond to) (?:me|us)(?: (?:now|already|please))?|répondez(?:-moi| moi)?"
    r"|(?:is )?(?:any(?:one|body)|some(?:one|body)) (?:even )?working(?: (?:today|there|on this))?"
    r"|qu['’]est-ce que vous (?:faites|foutez|fabriquez)|(?:mais )?vous (?:faites|foutez) quoi"
    r"|vous vous moquez de (?:nous|moi)|(?:are|do) you (?:guys )?(?:even )?(?:care|work here)"
    r"|who (?:on earth |the hell |in their right mind )?(?:writes|wrote|codes|coded|tests|tested|designs"
    r"|designed|thought|approved|validated|programs|programmed|builds|built|makes|made) (?:code like"
    r" this|this|that|these|such)\b.*|why (?:do|would|should) (?:i|we) (?:even )?bother\b.*|who (?:on earth |the hell )?(?:thought|decided)\b.*"
    r"(?:good idea|made sense|was (?:ok|fine|acceptable))"
    r"|(?:do )?you (?:guys )?(?:even |ever )?test (?:your|this|these|anything)\b.*"
    r"|qui (?:a |est-ce qui a )?(?:écrit|écrit|codé|code|validé|valide|conçu|testé|teste|pensé|programmé"
    r"|développé|fait) (?:ça|ce|cette|ces|un|une)\b.*|vous testez (?:vos|vraiment|parfois|jamais)\b.*)"
    r"[\s?!.…,]*",
    re.I,
)
FRAME = re.compile(
    r"(?:can|could|would|will) (?:you|someone|anyone) (?:please )?(?:tell|let) (?:me|us)(?: know)?"
    r"|do you know|(?:i|we) (?:wonder|was wondering|were wondering)|any idea|question"
    r"|(?:pouvez|pourriez)-vous me dire|savez-vous|une question|petite question|quick question",
    re.I,
)
MID_OPENER = re.compile(
    r"\b(?:how|what|where|why|which) (?:do|does|did|can|could|should|is|are) (?:i|you|we|it)\b"
    r"|\bcomment (?:je|j['’]|on|faire|puis-je|peut-on)\b|\bfaut[- ]il\b|\best[- ]ce qu(?:e|['’])",
    re.I,
)
WORDS = re.compile(r"[^\W\d_]{2,}")
CONTINUATION = re.compile(
    rf"(?:{EN_ASK_VERB})\b|(?:me |m['’]|nous |lui )?{FR_ASK_VERB}\b|{FR_IMPERATIVE}-(?:moi|nous)\b",
    re.I,
)
CONTINUED_DE = re.compile(  # "merci de m'envoyer X, de m'indiquer Y et de me confirmer Z": three asks
    rf"(?:et )?d(?:e |['’])(?:me |m['’]|nous |lui )?{FR_ASK_VERB}\b", re.I)
GREETING = re.compile(
    r"^(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut)"
    r"(?:(?:\s+\w+)?\s*[,!]\s*|\s+(?=\w)))+",
    re.I,
)

GENERIC_HELP = re.compile(  # "Can you help me?" before the real question: an attention-getter
    r"(?:(?:can|could|would|will) (?:you|someone|anyone|somebody|anybody) (?:please )?help(?: me| us)?"
    r"|(?:please )?help(?: me| us)?|(?:i|we) need (?:some )?help|(?:pouvez|pourriez)[- ]vous (?:m['’]|nous )aider"
    r"|(?:quelqu['’]un|qqn) (?:peut|pourrait) (?:m['’]|nous )aider|(?:j['’]ai|nous avons) besoin d['’]aide|aidez[- ]moi)"
    r"(?:,? (?:please|pls|svp|s['’]il vous pla[iî]t|stp))?[\s?!.…]*",
    re.I,
)
RESTATED = re.compile(  # "I mean, where is the link?": the question before, in other words
    r"^(?:(?:i mean|in other words|that is|to be clear|(?:enfin,? )?je veux dire|autrement dit|c['’]est[- ]à[- ]dire)\b)",
    re.I,
)

_THEN = re.compile(r"^(?:also|then|aussi|puis|ensuite)\s+", re.I)
_CONNECTIVE = re.compile(r"^(?:so|also|and|but|ok|okay|well|then|et|mais|donc|alors|sinon|aussi)\b,?\s*",
                         re.I)


def count_questions(text: "str | Normalised", language: str | None = None) -> QuestionCount:
    """Count questions in `text`; language "en" or "fr" narrows the patterns, else both."""
    languages = [language] if language in OPENERS else list(OPENERS)
    found: list[str] = []
    view = text if isinstance(text, Normalised) else reader(text)
    framed = False
    text = collapse_spaced(view.text).replace("¿", "\n")  # "¿Is there X ¿Can I Y": each ¿ opens a question
    for line in _logical_lines(strip_noise(text, drop_quoted=True)):
        in_list = LIST_MARKER.match(line) is not None
        if in_list and framed:  # "I'd like answers to:" then "1) is PHP 8.3 supported": each item asks
            found.extend(_listed_asks(LIST_MARKER.sub("", line), languages))
            continue
        framed = not in_list and line.endswith(":") and ASK_FRAME.search(line) is not None
        for match in SENTENCE.finditer(LIST_MARKER.sub("", line)):
            if not RESTATED.match(LEAD.sub("", match["body"].strip())):
                found.extend(_questions_in(match["body"], match["end"], languages, in_list))
    specific = [q for q in found if not GENERIC_HELP.fullmatch(LEAD.sub("", GREETING.sub("", q.strip())))]
    found = specific or found[:1]
    return QuestionCount(count=len(found), questions=tuple(found))


def _listed_asks(item: str, languages: list[str]) -> list[str]:
    """An item of a list of asks: its own questions, or the item itself as one."""
    asks = [q for m in SENTENCE.finditer(item) for q in _questions_in(m["body"], m["end"], languages, True)]
    return asks or ([item] if WORDS.search(item) else [])


def _logical_lines(text: str) -> list[str]:
    """Join hard-wrapped e-mail lines: a long line that stops mid-sentence continues."""
    lines: list[str] = []
    for line in text.split("\n"):
        line = line.strip()
        if lines and _continues(lines[-1], line):
            lines[-1] = f"{lines[-1]} {line}"
        elif line:
            lines.append(line)
    return lines


def _continues(previous: str, line: str) -> bool:
    return (
        len(previous) >= 60
        and not previous.endswith((".", "?", "!", ":", "…"))
        and line[:1].islower()
        and not LIST_MARKER.match(line)
    )


def _questions_in(body: str, end: str, languages: list[str], in_list: bool = False) -> list[str]:
    """The question evidence of one sentence: one item per question or request it makes."""
    body = body.strip()
    content = LEAD.sub("", body)
    if not any(ch.isalpha() for ch in content) or PLEASANTRY.fullmatch(content) \
            or RHETORICAL.fullmatch(content):
        return []
    ends_with_question_mark = "?" in end
    if body.endswith(":") and not ends_with_question_mark:
        return []
    exclaimed = "!" in end and not ends_with_question_mark
    enumerated = _enumerated(GREETING.sub("", content), languages)
    if enumerated:
        return enumerated
    raw = CLAUSE_BREAK.split(GREETING.sub("", body))
    parts = [INLINE_ITEM.sub("", p) for p in raw]
    listed = [p for r, p in zip(raw, parts) if r != p and WORDS.search(p)]
    if len(listed) >= 2 and ASK_FRAME.search(parts[0]):  # "Please: 1) send X 2) reset Y"
        return listed
    clauses = [c for i, c in enumerate(parts)
               if _asks(c, languages, requests_only=exclaimed, imperative=i == 0 and not in_list)
               or i > 0 and _continued_request(c, parts[:i], languages)]
    if len(clauses) > 1:
        clauses = [c for c in clauses if not FRAME.fullmatch(LEAD.sub("", c.strip()))] or clauses[:1]
    if len(clauses) > 1:
        return clauses
    if clauses or ends_with_question_mark and not NOT_A_REQUEST.match(_CONNECTIVE.sub("", content)):
        return [f"{body}{end.strip()}"]  # "Thanks, all good now ?" asks nothing
    return []


def _enumerated(content: str, languages: list[str]) -> list[str]:
    """"I need two things: the invoice and the upgrade guide" asks for each item listed."""
    found = ENUMERATION.match(content)
    if not found or not ENUMERATION_FRAME.search(found["frame"]):
        return []
    items = [i for i in ITEM_BREAK.split(found["items"]) if WORDS.search(i)]
    return items if len(items) >= 2 else []


def _continued_request(clause: str, before: list[str], languages: list[str]) -> bool:
    """"could you check X; and tell me Y": an ask verb after a request asks again."""
    clause = _THEN.sub("", clause.strip())
    if CONTINUED_INDIRECT.match(clause):  # "tell me whether A, whether B": one ask each
        return any(INDIRECT.search(b) for b in before)
    if CONTINUED_DE.match(clause):  # after a request only: "est-ce possible de A et de B ?" asks once
        return any(_is_request(b, languages, imperative=True) for b in before)
    if not CONTINUATION.match(clause):
        return False
    return any(_asks(b, languages, imperative=True) for b in before)


def _asks(clause: str, languages: list[str], *, requests_only: bool = False,
          imperative: bool = False) -> bool:
    """A clause asks when it opens like a question or a request (not a pleasantry or rhetoric)."""
    clause = clause.strip()
    content = LEAD.sub("", clause)
    if not content or PLEASANTRY.fullmatch(content) or RHETORICAL.fullmatch(content):
        return False
    if _is_request(clause, languages, imperative):
        return True
    if requests_only:
        return False
    return _is_interrogative(content, languages) or MID_OPENER.search(content) is not None


def _is_request(clause: str, languages: list[str], imperative: bool = False) -> bool:
    clause = GREETING.sub("", clause).lstrip(" ,.-")
    lead = _CONNECTIVE.sub("", clause)
    if NOT_A_REQUEST.match(lead):
        return False
    patterns = [REQUESTS[language] for language in languages]
    if imperative:
        patterns += [IMPERATIVES[language] for language in languages]
    return any(pattern.match(lead) for pattern in patterns)


def _is_interrogative(clause: str, languages: list[str]) -> bool:
    clause = LEAD.sub("", clause.strip())
    if any(OPENERS[language].match(clause) for language in languages):
        return True
    return "fr" in languages and FR_INVERSION.search(clause) is not None
