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
- Several questions in one sentence: each clause after and/or/et/ou (or after ":") that
  itself opens like a question counts ("How do I install it and how do I configure
  it?" = 2); alternatives inside one clause do not ("Can I use it on 2.3 or 2.4?" = 1).
  A sentence ending in "?" counts at least once.
- List items are sentences, so each question item counts; "I have 3 questions:" does not.
- Never counted: "?" in URLs, code, logs and quoted machine text (strip_noise runs
  first), pleasantries ("How are you?", "Comment allez-vous ?"), bare greetings ("Hello??").
"""

import re
from dataclasses import dataclass

from chalicelib.text.clean import strip_noise


@dataclass(frozen=True)
class QuestionCount:
    count: int
    questions: tuple[str, ...]


SENTENCE = re.compile(r"(?P<body>(?:[^?!.…]|[.…](?!\s|$))*)(?P<end>[?!]+|[.…]+|$)")
LIST_MARKER = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s+")
CLAUSE_BREAK = re.compile(r"\s*[,;]?\s+(?:and|or|et|ou)\s+|\s*:\s*", re.I)
LEAD = re.compile(
    r"^(?:(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|bonjour|bonsoir|salut)"
    r"(?:\s+\w+)?\s*[,!]\s*|(?:so|also|and|but|ok|okay|well|then|first|second|third|finally"
    r"|lastly|please|et|mais|sinon|aussi|donc|alors|enfin|ensuite|puis|d'abord)"
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
    r"|faites|allez|utilisez|vendez)-vous|(?:pouvons|pourrions|avons|aurions|devons"
    r"|devrions|sommes|serions|allons|faisons)-nous"
)
FR_OPENERS = [
    r"(?:qu['’])?est[- ]ce\b",
    FR_VOUS_NOUS + r"\b",
    r"y a-t-il\b|que faire\b",
    rf"(?!qui plus est\b)(?!comment (?:allez-vous|vas-tu)){FR_WH}\b",
    r"quand\s+(?!(?:je|j['’]|tu|il|elle|on|nous|vous|ils|elles|le|la|les|l['’]|un|une"
    r"|des|mon|ma|mes|ce|cette|ces|c['’]|ça|même)\b)",
    r"j(?:e |['’])(?:voudrais|aimerais|souhaiterais|souhaite|veux|voulais) savoir\b",
    r"je me demand(?:e|ais)\b",
    rf"(?:dites|indiquez|précisez)-(?:moi|nous) {FR_WH}\b",
    rf"merci de me (?:dire|préciser|confirmer|indiquer) (?:si|{FR_WH})\b",
]
FR_INVERSION = re.compile(r"\b\w+(?:-t)?-(?:je|il|elle|on|ils|elles)\b", re.I)
OPENERS = {
    "en": re.compile("|".join(EN_OPENERS), re.I),
    "fr": re.compile("|".join(FR_OPENERS), re.I),
}


def count_questions(text: str, language: str | None = None) -> QuestionCount:
    """Count questions in `text`; language "en" or "fr" narrows the patterns, else both."""
    languages = [language] if language in OPENERS else list(OPENERS)
    found: list[str] = []
    for line in _logical_lines(strip_noise(text)):
        for match in SENTENCE.finditer(LIST_MARKER.sub("", line)):
            found.extend(_questions_in(match["body"], match["end"], languages))
    return QuestionCount(count=len(found), questions=tuple(found))


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


def _questions_in(body: str, end: str, languages: list[str]) -> list[str]:
    """The question evidence of one sentence: one item per question it asks."""
    body = body.strip()
    content = LEAD.sub("", body)
    if not any(ch.isalpha() for ch in content) or PLEASANTRY.fullmatch(content):
        return []
    ends_with_question_mark = "?" in end
    if not ends_with_question_mark and ("!" in end or body.endswith(":")):
        return []
    clauses = [c for c in CLAUSE_BREAK.split(content) if _is_interrogative(c, languages)]
    if len(clauses) > 1:
        return clauses
    if clauses or ends_with_question_mark:
        return [f"{body}{end.strip()}"]
    return []


def _is_interrogative(clause: str, languages: list[str]) -> bool:
    clause = LEAD.sub("", clause.strip())
    if any(OPENERS[language].match(clause) for language in languages):
        return True
    return "fr" in languages and FR_INVERSION.search(clause) is not None
