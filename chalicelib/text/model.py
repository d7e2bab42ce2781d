"""A small linear model per refusal category, over word and character n-grams (issue 16).

The lexicons catch the phrasings someone thought of; the model generalises from examples
to the ones nobody listed ("Expect visitors, I have your home address"). Weights are data
(`model/weights.json`, trained at build time by `python -m textbuild.train_model`
from `tests/data/lexicons`, `evaluation/training` and the dev split of the independent set,
never its test split), inference is a dictionary look-up per feature: no numpy, no sklearn.
Features come from the matching view of normalise.py (folded, leetspeak undone), and a word
after a negation cue in its clause ("no", "don't", "pas", "inutile de", "no need to") is a
different feature from the same word asserted, so negation works before and after a term.
The lexicon's own verdict is a feature too (matched / negated), and so are a few structured
patterns (STRUCTURES: who does what to whom, e.g. "disable X and it works"), negation-aware.
"""
from __future__ import annotations

import heapq
import json
import math
import re
from dataclasses import dataclass, field
from functools import cache, cached_property
from pathlib import Path

from chalicelib.text import precompiled

WEIGHTS = Path(__file__).with_name("model") / "weights.json"
TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[.!?;:,()]")
CLAUSE_END = frozenset(".!?;:,()") | {"but", "mais", "however", "cependant", "pourtant"}
NEGATIONS = frozenset({
    "not", "no", "never", "nobody", "nothing", "without", "dont", "doesnt", "didnt", "isnt",
    "arent", "wasnt", "werent", "havent", "hasnt", "cant", "cannot", "wont", "wouldnt", "shouldnt",
    "pas", "jamais", "aucun", "aucune", "sans", "inutile", "rien", "ni", "personne", "nul",
    "plus"})
NEGATION_SCOPE = 4
SENTENCE = re.compile(r"(?<=[.!?;])\s+")
DENIAL = re.compile(
    r"(?:but |mais )?(?:(?:we|i) (?:don't|do not|didn't|did not|haven't|have not|never) (?:have|use"
    r"|had|used|got|made|did|installed|changed|touched)? ?(?:any|one|them|those|that|it|such)\b"
    r"|(?:we|i) (?:have|use|had) (?:none|no such)|none (?:here|on our|in our)|not (?:in|on) our"
    r" (?:shop|store|site)|(?:that|this|it) (?:is not|isn't|was not|wasn't) the case|(?:nous|on|je)"
    r" n'(?:en )?(?:a|ai|avons|avais|utilise|utilisons|as) (?:pas|aucun|jamais)|(?:ce|c') n'est pas"
    r" (?:le|notre) cas|(?:ce n'est |c'est )?pas (?:le cas|chez nous)|aucun(?:e)? chez nous"
    r"|(?:nous|on|je) n'(?:avons|a|ai) rien (?:de tel|de ce genre|modifie|change|touche))",
)
STRUCTURES = {  # who does what to whom, on the folded matching view; each is a feature "s:<name>"
    "toggle_restores": re.compile(
        r"\b(?:disabl\w*|deactivat\w*|uninstall\w*|remov\w*|turn\w* (?:\w+ ){0,3}?off|switch\w* off"
        r"|without (?:it|\w+)|desactiv\w*|desinstall\w*|retir\w*|coup\w*|enlev\w*|sans (?:lui|\w+))\b"
        r".{0,60}?\b(?:works?|fine|ok|okay|comes? back|came back|reappears?|fixe[sd]|fixes it|no (?:problem|error|issue)"
        r"|remarche|refonctionne|revien\w*|fonctionne|marche|reapparai\w*|plus de (?:souci|probleme|bug)"
        r"|aucun (?:souci|probleme)|normal|rien)\b"),
    "since_added": re.compile(
        r"\b(?:since|after|ever since|the moment|as soon as|depuis|des que|apres)\b.{0,25}?\b(?:install\w*|activat\w*"
        r"|enabl\w*|add(?:ed|ing)|turn(?:ed)? on|activ\w*|ajout\w*|mis en place|utilise)\b"),
    "other_vendor": re.compile(
        r"\b(?:not yours|not from you|another (?:vendor|developer|module|plugin|extension|editor)|other vendor"
        r"|third[- ]party|d'un autre (?:editeur|developpeur|prestataire)|pas (?:le votre|de chez vous)"
        r"|autre (?:editeur|module|plugin)|(?:by|from|de chez|chez) [a-z]+ ?[a-z]*,? (?:not|pas))\b"),
    "default_theme_fine": re.compile(
        r"\b(?:with|on|using|avec|sur|en) (?:the )?(?:le )?(?:theme )?(?:classic|default|luma|storefront|twenty\w+"
        r"|hello|natif|par defaut)\b.{0,40}?\b(?:fine|works?|perfect|ok|no (?:problem|issue)|aucun (?:souci|probleme)"
        r"|marche|fonctionne|parfait|impeccable|correct\w*)"),
    "in_house": re.compile(
        r"\b(?:in[- ]house|home[- ]?made|homegrown|home[- ]grown|our own|custom[- ]made|custom[- ]built|bespoke"
        r"|built (?:for us|by (?:our|the|a) \w+)|written by (?:our|the|a) \w+|developed (?:for us|specifically|in[- ]house"
        r"|by (?:our|the|a) \w+)|sur mesure|fait maison|(?:module|override|surcharge|code|developpement)s? (?:maison|interne"
        r"|specifiques?)|developpe\w* (?:par|pour) (?:nous|notre|nos|un|une)|fait (?:par|pour) (?:nous|notre|nos|un|une)"
        r"|(?:notre|nos) (?:agence|developpeur|prestataire|freelance|presta|equipe))\b"),
    "our_override": re.compile(
        r"\b(?:(?:our|notre|nos|we have an?|on a une?|nous avons une?) (?:own )?(?:custom )?(?:overrides?|surcharges?"
        r"|preference|plugin around)|(?:override|surcharge)s? (?:is|was|are|est|sont) (?:ours|a nous|le notre|la notre)"
        r"|(?:that|this|cette|c'est) (?:override|surcharge) (?:is ours|est la notre|vient de notre))\b"),
    "already_overridden_by": re.compile(r"already (?:overridden|overriden) by|deja surchargee? par"),
}
MAX_TOKENS = 600
"""Features of the first MAX_TOKENS tokens only: bounds the work of a long message."""


@dataclass(frozen=True)
class Score:
    category: str
    probability: float
    contributions: tuple[tuple[float, str], ...] = field(repr=False, compare=False, default=())

    @cached_property
    def evidence(self) -> tuple[str, ...]:
        """The three strongest positive pairs, then words; worked out only when a verdict
        quotes it (most messages score low: half of the model's time went here)."""
        positive = [c for c in self.contributions if c[0] > 0 and "~" not in c[1]]
        pairs = heapq.nlargest(3, [c for c in positive if c[1].startswith("b:")])
        words = heapq.nlargest(3, [c for c in positive if c[1].startswith("w:") and len(c[1]) >= 6]) \
            if len(pairs) < 3 else []
        return tuple(f[2:].replace("_", " ") for _, f in (pairs + words)[:3])


def tokens(matching_text: str) -> list[str]:
    """Tokens of the matching view; `don't` -> `dont`, elisions split (`l'installer`)."""
    found = []
    for token in TOKEN.findall(matching_text)[:MAX_TOKENS]:
        if "'" in token:
            head, tail = token.split("'", 1)
            if tail == "t":
                found.append(head + "t")
                continue
            if len(head) <= 2:  # l' d' j' qu' n' s'
                found += [head, tail] if head not in ("n",) else ["pas", tail]
                continue
            found += [head, tail]
            continue
        found.append(token)
    return found


def features(matching_text: str, lexicon_flags: tuple[str, ...] = ()) -> set[str]:
    """Binary features: words and word pairs (marked when negated), char 4-grams, lexicon."""
    words: list[str] = []
    denied: set[int] = set()
    sentences = SENTENCE.split(matching_text)
    for index, sentence in enumerate(sentences):
        start = len(words)
        words += tokens(sentence)
        if index + 1 < len(sentences) and DENIAL.match(sentences[index + 1]):
            denied.update(range(start, len(words)))  # "custom overrides may conflict. We have none."
    words = words[:MAX_TOKENS]
    marked: list[str] = []
    scope = 0
    for position, word in enumerate(words):
        if position in denied and word not in CLAUSE_END:
            marked.append(f"~{word}")
            continue
        if word in CLAUSE_END:
            scope = 0
            marked.append("|")
            continue
        if word in NEGATIONS:
            scope = NEGATION_SCOPE
            marked.append(word)
            continue
        marked.append(f"~{word}" if scope else word)
        scope = max(0, scope - 1)
    found = {f"w:{w}" for w in marked if w != "|"}
    found |= {f"b:{a}_{b}" for a, b in zip(marked, marked[1:]) if "|" not in (a, b)}
    for word in words:
        if len(word) >= 4 and word not in CLAUSE_END:
            padded = f"<{word}>"
            found |= {f"c:{padded[i:i + 4]}" for i in range(len(padded) - 3)}
    found |= {f"l:{flag}" for flag in lexicon_flags}
    head = matching_text[:6000]
    found |= structures(head)
    return found


STRUCTURE_NEGATED = re.compile(r"\b(?:no|not|never|without|none|aucune?|pas|jamais|sans|ni|rien)\b[^.!?;]{0,40}$")


def structures(text: str) -> set[str]:
    """The structured patterns found; "s:~name" when a negation opens its clause ("no custom code")."""
    found = set()
    for name, pattern in STRUCTURES.items():
        hit = pattern.search(text)
        if hit:
            negated = STRUCTURE_NEGATED.search(text, max(0, hit.start() - 40), hit.start())
            found.add(f"s:~{name}" if negated else f"s:{name}")
    return found


@cache
def weights() -> dict:
    """{category: {"bias": b, "threshold": t, "flag": f, "w": {feature: weight}}}."""
    if not WEIGHTS.exists():
        return {}
    raw = WEIGHTS.read_bytes()
    inputs = precompiled.digest(raw)  # the parsed table, precompiled (precompiled.py) if current
    table = precompiled.load("weights", inputs)
    if table is None:
        table = json.loads(raw.decode("utf-8"))["categories"]
        if precompiled.writable():
            precompiled.save("weights", inputs, table)
    return table


def score(category: str, found: set[str]) -> Score | None:
    """The model's probability that the message belongs to `category` (None: no model)."""
    model = weights().get(category)
    if model is None:
        return None
    table = model["w"]
    hits = list(filter(table.__contains__, found))  # in the set's order: the same float sum
    weighed = list(map(table.__getitem__, hits))
    logit = model["bias"] + sum(weighed)
    probability = 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, logit))))
    return Score(category, probability, tuple(zip(weighed, hits)))


def thresholds(category: str) -> tuple[float, float]:
    """(refuse at or above, flag for the seller at or above)."""
    model = weights().get(category, {})
    return model.get("threshold", 1.01), model.get("flag", 1.01)
