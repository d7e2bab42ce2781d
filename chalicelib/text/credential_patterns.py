"""Regexes and value tests for credentials pasted into support messages (English and French)."""

import re
from dataclasses import dataclass
from typing import Callable

PLACEHOLDER = re.compile(r"\[redacted credential #(\d+)\]")

_I = re.IGNORECASE
_CONTEXT = (
    r"(?:s?ftp|ssh|wp-admin|admin(?:istrat(?:or|eur))?|back[ -]?office|backend|cpanel|plesk|db|bdd"
    r"|database|mysql|smtp|imap|wordpress|wp|magento|prestashop|hosting|server|serveur|new|nouveau"
    r"|temporary|temporaire|provisoire|current|actuel)"
)
_PASSWORD_WORD = r"(?:mot[ -]de[ -]passe|passwords?|passwd|passphrase|pass|mdp|pwd|pw)"
_USER_WORD = (
    r"(?:user[ _-]?name|user|login|identifiant|utilisateur|nom d['’]utilisateur|e-?mail|courriel)"
)
_API_WORD = (
    r"(?:api[ _-]?(?:key|token|secret)|apikey|secret[ _-]?key|client[ _-]?secret"
    r"|consumer[ _-]?(?:key|secret)|access[ _-]?(?:key|token)|auth[ _-]?token|bearer|token|secret"
    r"|cl[ée]s?[ _](?:api|secr[eè]te|priv[ée]e)|cl[ée] (?:du )?webservice|webservice[ _-]key"
    r"|jeton(?: d['’]acc[eè]s)?)"
)
_USER_OR_LOG_IN_AS = rf"(?:{_USER_WORD}|log ?in as)"
_PAIR_WORD = (
    rf"(?:credentials|creds|login details|logins?|identifiants|codes? d['’]acc[eè]s|acc[eè]s|access"
    rf"|{_USER_WORD}[ \t]*/[ \t]*{_PASSWORD_WORD})"
)


def _label(word: str) -> str:
    """A keyword, maybe inside a config identifier (DB_PASSWORD) and beside a context word (FTP)."""
    return (
        rf"(?P<label>(?:\b{_CONTEXT}[ \t]+)?\b(?:[A-Za-z0-9]+_)*{word}(?:_[A-Za-z0-9]+)*\b"
        rf"(?:[ \t]+{_CONTEXT}\b)?)['\"]?"
    )


_QUALIFIER = (  # "for the ftp account", "de l'admin", "(protégé par htaccess)"
    r"(?:[ \t]+(?:for|of|to|on|du|des|de|pour|sur)[ \t]+|[ \t]+d['’]|[ \t]+de[ \t]+l['’])"
    r"[\w.@'’-]+(?:[ \t]+[\w.@'’-]+){0,3}?(?:[ \t]*\([^()\n]{1,40}\))?"
)
_SEP = r"[ \t]*(?:=>|->|:=|[:=])[ \t]*"
_VERB = (  # "is", "est", "c'est", optionally followed by a colon
    r"[ \t]+(?:is(?:[ \t]+now)?|est(?:[ \t]+maintenant)?|c['’]est|sera|will[ \t]+be)\b"
    r"[ \t]*:?[ \t]*"
)
_CONNECT = rf"(?:(?:{_QUALIFIER})?(?:(?P<sep>{_SEP})|{_VERB})|[ \t]+)"
_QUOTED = r"\"[^\"\n]+\"|'[^'\n]+'|«[ \t]?[^»\n]+?[ \t]?»|“[^”\n]+”|`[^`\n]+`"
_USER_VALUE = rf"(?P<value>\"[^\"\n]+\"|'[^'\n]+'|[^\s,;/\"'()<>:=]+)"
_PASSWORD_FOLLOWS = (
    r"(?=(?:[ \t]*[,;/-][ \t]*|[ \t]+)(?:(?:and|et|with|avec)[ \t]+)?"
    rf"(?:(?:the|le|its|a|un)[ \t]+)?(?:[\w-]+[ \t]+)?{_PASSWORD_WORD}\b)"
)
_EMAIL = r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b"
QUOTE_PAIRS = {'"': '"', "'": "'", "«": "»", "“": "”", "`": "`"}

NON_VALUES = frozenset(
    """the a an my your our his her its their this that it is not no yes none null n/a na empty
    blank required mandatory missing wrong incorrect invalid correct same see sent below above
    attached here there field reset forgotten forgot changed expired hidden unknown ok true false
    and or with for to in on of from as still too also please le la les un une mon ma mes votre vos
    notre nos son sa ses ce cet cette il elle on je est pas ne non oui aucun aucune vide requis
    obligatoire manquant faux fausse incorrecte invalide erroné correct même idem identique voir
    envoyé envoyée ci-dessous ci-joint joint ici champ oublié changé expiré inconnu et ou avec pour
    dans de du des à en sur par aussi toujours trop""".split()
)
_EDGE_PUNCT = ".,;:!?()[]{}\"'«»“”`"
_SYMBOLS = frozenset("!@#$%^&*_+=~/\\|<>{}[]€£§")


def is_non_value(value: str) -> bool:
    """True for words that follow "password:" in prose without being a password."""
    core = value.strip(_EDGE_PUNCT).lower()
    return core in NON_VALUES or "://" in core or core.startswith("www.")


def looks_like_password(value: str) -> bool:
    """Unlabelled prose ("the password is X") needs a value no ordinary word looks like."""
    return len(value) >= 4 and (
        any(c.isdigit() or c in _SYMBOLS for c in value) or any(c.isupper() for c in value[1:])
    )


def looks_random(value: str) -> bool:
    """API keys and tokens are long mixes of letters and digits; order ids alone never get here."""
    return (
        len(value) >= 16
        and any(c.isdigit() for c in value)
        and any(c.isalpha() for c in value)
        and "://" not in value
    )


def _is_quoted(match: re.Match) -> bool:
    return match.group("value")[0] in QUOTE_PAIRS


def accepts_password(value: str, match: re.Match) -> bool:
    """After ':' or '=' any value counts; after a verb or a bare space it must look like one."""
    if is_non_value(value):
        return False
    return bool(match.group("sep")) or _is_quoted(match) or looks_like_password(value)


def accepts_pair(value: str, match: re.Match) -> bool:
    return looks_like_password(value) and not is_non_value(match.group("user"))


def accepts_random(value: str, match: re.Match) -> bool:
    return looks_random(value)


def accepts_username(value: str, match: re.Match) -> bool:
    return not is_non_value(value) and not re.fullmatch(_PASSWORD_WORD, value, _I)


def accepts_any(value: str, match: re.Match) -> bool:
    return True


_PRIVATE_KEY = (  # the lookahead and \Z end a key pasted without its END line
    r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[^\[]*?"
    r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|(?=\[)|\Z)"
)
_WORDPRESS_APP_PASSWORD = (
    r"(?P<label>application password|app password|mot de passe d['’]application)s?"
    rf"(?:{_QUALIFIER})?(?P<sep>{_SEP})(?P<value>[A-Za-z0-9]{{4}}(?: [A-Za-z0-9]{{4}}){{5}})\b"
)
_LABELLED_PASSWORD = rf"{_label(_PASSWORD_WORD)}{_CONNECT}(?P<value>{_QUOTED}|\S+)"
_LOGIN_SLASH_PASSWORD = (
    rf"(?P<label>\b{_PAIR_WORD}(?:[ \t]+{_CONTEXT}\b)?)(?:{_QUALIFIER})?{_SEP}"
    r"(?P<user>[^\s/:,;\"'()]+)[ \t]*/[ \t]*(?P<value>\S++)(?![ \t]+[\w-]+[ \t]*[:=])"
)
_LABELLED_API_KEY = (
    rf"{_label(_API_WORD)}(?:(?:[ \t]+[\w.'’-]+){{0,3}}?(?:{_SEP}|{_VERB})|[ \t]+)"
    r"(?P<value>\"[^\"\n]+\"|'[^'\n]+'|[^\s\"'<>]+)"
)
_LABELLED_USER = (
    rf"{_label(_USER_WORD)}(?:[ \t]*/[ \t]*{_USER_WORD})*(?:{_QUALIFIER})?(?:{_SEP}|{_VERB})"
    rf"{_USER_VALUE}"
)
_USER_BEFORE_PASSWORD = rf"{_label(_USER_OR_LOG_IN_AS)}[ \t]+{_USER_VALUE}{_PASSWORD_FOLLOWS}"
_SSH_LOGIN = r"\b(?P<label>ssh|sftp|scp)[ \t]+(?:-\w+[ \t]+\S+[ \t]+)*(?P<value>[\w.-]+)@[\w.-]+"
_EMAIL_BEFORE_PASSWORD = rf"(?P<value>{_EMAIL}){_PASSWORD_FOLLOWS}"


@dataclass(frozen=True)
class Rule:
    """One way a credential shows up; `label` None means the matched keyword is the label."""

    kind: str
    regex: re.Pattern
    accepts: Callable[[str, re.Match], bool]
    label: str | None = None
    keyword: re.Pattern | None = None  # cannot match without it: a cheap search skips the rule
    bounded: re.Pattern | None = None  # the keyword as the rule needs it: a word, or beside `_`
    literals: tuple[str, ...] = ()  # cannot match without one of these (exact, case-sensitive)

    def candidates(self, text: str):
        if self.literals and not any(literal in text for literal in self.literals):
            return iter(())
        if self.keyword is not None:
            hit = self.keyword.search(text)
            if hit is None:
                return iter(())
            # a bounded occurrence starts at most one character (`_`) before the first one
            if self.bounded is not None and self.bounded.search(text, max(0, hit.start() - 1)) is None:
                return iter(())
        return self.regex.finditer(text)


def _rule(kind: str, pattern: str, accepts, label: str | None = None,
          keyword: str | None = None, bounded: bool = False, literals: tuple[str, ...] = ()) -> Rule:
    """`keyword`: for the long label alternations, which cost ~0.5 ms per 3 KB even unmatched;
    `bounded`: the rule only matches the keyword with a word boundary or `_` on both sides
    (`pass` in "passer" or "compass" cannot start a label)."""
    return Rule(kind, re.compile(pattern, _I), accepts, label, keyword and re.compile(keyword, _I),
                re.compile(rf"(?:\b|_)(?:{keyword})(?:\b|_)", _I) if keyword and bounded else None,
                literals)


def _shape(kind: str, label: str, pattern: str, literals: tuple[str, ...] = ()) -> Rule:
    """Vendor formats are case-sensitive and need no keyword; `literals`: one of them is in
    every match, so a text without any skips the regex."""
    return Rule(kind, re.compile(rf"(?P<value>{pattern})"), accepts_any, label, literals=literals)


# Order matters: each rule sees what earlier rules found as placeholders, so the first rule to
# claim a span wins, and a second redaction sees the same context and finds nothing new.
SECRET_RULES = (
    _shape("private_key", "private key", _PRIVATE_KEY),
    _shape("api_key", "AWS access key id", r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b", ("AKIA", "ASIA")),
    _shape("token", "GitHub token", r"\b(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_\w{22,255})\b",
           ("gh", "github_pat_")),
    _shape("token", "Slack token", r"\bxox[abposr]-[A-Za-z0-9]+(?:-[A-Za-z0-9]+)+", ("xox",)),
    _shape("api_key", "Stripe secret key", r"\b[rs]k_(?:live|test)_[A-Za-z0-9]{16,247}\b",
           ("k_live_", "k_test_")),
    _shape("api_key", "Google API key", r"\bAIza[0-9A-Za-z_-]{35}(?![\w-])", ("AIza",)),
    _shape("api_key", "WooCommerce REST key", r"\bc[ks]_[0-9a-f]{40}\b", ("ck_", "cs_")),
    _shape("token", "JWT", r"\beyJ[\w-]{5,}\.eyJ[\w-]{5,}\.[\w-]{5,}", ("eyJ",)),
    _shape("url_userinfo", "URL user:password", r"(?<=://)[^\s:/@'\"<>]+:[^\s/@'\"<>]+(?=@[\w\[])",
           ("://",)),
    _rule("password", _WORDPRESS_APP_PASSWORD, accepts_any),
    _rule("password", _LABELLED_PASSWORD, accepts_password, keyword=_PASSWORD_WORD, bounded=True),
    _rule("password", _LOGIN_SLASH_PASSWORD, accepts_pair, literals=("/",)),
    _rule("api_key", _LABELLED_API_KEY, accepts_random, keyword=_API_WORD, bounded=True),
)
USERNAME_RULES = (
    _rule("username", _LABELLED_USER, accepts_username, keyword=_USER_WORD, bounded=True),
    _rule("username", _USER_BEFORE_PASSWORD, accepts_username, keyword=_PASSWORD_WORD, bounded=True),
    _rule("username", _SSH_LOGIN, accepts_username, literals=("@",)),
    _rule("username", _EMAIL_BEFORE_PASSWORD, accepts_username, "login email", keyword=_PASSWORD_WORD,
          bounded=True, literals=("@",)),
)
