"""Remove machine text (code, logs, traces, URLs, quotes) from a customer message.

Language detection and question counting must judge what the customer wrote, not the
English log or the `?` of a query string they pasted. Whole lines that are machine text
become empty lines, so paragraph breaks survive for sentence splitting.

Code is judged by what it looks like, not by how it is marked up: a fenced, indented or
backticked block of plain prose is prose (issue 16: French hidden in a code fence is still
French), and a log line keeps the customer's sentence written after it on the same line.
`keep_quoted=True` (language detection) also keeps prose quoted with `>` or in quotes: the
reader sees it; question counting leaves it out (a quoted question was someone else's).
"""

import functools
import re

FENCED_CODE = re.compile(r"```.*?(?:```|\Z)|~~~.*?(?:~~~|\Z)", re.S)
INLINE_CODE = re.compile(r"`[^`\n]+`")
PHP_TAGS = re.compile(r"<\?(?:php|=)?.*?(?:\?>|$)", re.M)
HTML_TAG = re.compile(r"</?[a-zA-Z][\w:-]*(?:\s[^<>\n]*)?/?>")
URL = re.compile(r"\b(?:https?://|ftp://|www\.)[^\s<>\"'«»]*[^\s<>\"'«».,;:!?)\]]")
EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
UNIX_PATH = re.compile(r"(?<![\w.:/])~?(?:/[\w.@+~-]+){2,}/?")
RELATIVE_PATH = re.compile(r"(?<![\w./-])[\w.-]+(?:/[\w.-]+)+\.[a-zA-Z]{1,5}\b")
WINDOWS_PATH = re.compile(r"\b[A-Za-z]:\\[^\s\"'<>]*")
CLASS_PATH = re.compile(r"\b\w+(?:\\\w+){2,}\b|\b\w+(?:::\w+)+(?:\(\))?|\b\w+->\w+(?:\(\))?")
QUOTED_SPAN = re.compile(r"\"[^\"\n]{1,300}\"|“[^”\n]{1,300}”|«[^»\n]{1,300}»")
MACHINE_SIGNAL = re.compile(
    r"[\[\]{}()<>\\/=;$#?]|::|->|\b\w*(?:Exception|Error|Warning|undefined|null)\b", re.I
)

LOG_LINE = re.compile(
    r"""^\s*(?:
        \[?\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}          # 2024-03-11 02:00:01
      | \[\d{1,2}-\w{3}-\d{4}[ ]\d{2}:\d{2}             # [11-Mar-2024 02:00 (PHP error_log)
      | \[\w{3}[ ]\w{3}[ ]\d{1,2}[ ]\d{2}:\d{2}         # [Wed Mar 13 09:12 (Apache)
      | \d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?[ ]              # 09:12:44 message
      | (?:PHP[ ])?(?:Fatal[ ]error|Parse[ ]error|Warning|Notice|Deprecated):
      | PHP[ ](?:Fatal|Parse|Warning|Notice|Deprecated|Stack)
      | (?:ERROR|WARN(?:ING)?|INFO|DEBUG|CRITICAL|FATAL|NOTICE|SEVERE)\b[\s:\]]
      | (?:Uncaught|Stack[ ]trace:|Traceback[ ]\(most|thrown[ ]in\b|Caused[ ]by:)
      | at[ ](?:new[ ]|async[ ])?\w[\w$<>]*\.[\w$.<>]+[ ]?\(.*\)\s*$  # at Foo.bar(Foo.java:12)
      | at[ ][\w$.<>/]+[ ]\(?[\w./:-]+:\d+(?::\d+)?\)?\s*$ # at fn (file.js:45:12)
      | \#\d+[ ](?:\S+\(\d+\):|\{main\}|\[internal)         # #0 /var/www/x.php(12):
      | File[ ]".*",[ ]line[ ]\d+                        # Python frame
      | [\w.\\]*(?:Error|Exception)(?::|[ ]in[ ]/|[ ]\#\d)  # KeyError: 'items'
      | (?:[a-z_]\w*\.)+[A-Z]\w*:                        # requests.exceptions.ReadTimeout:
    )""",
    re.X,
)
LOG_MARKER = re.compile(
    r"(?:SQLSTATE\[|PHP (?:Fatal|Parse|Warning|Notice|Deprecated)|\[(?:error|warn|notice|crit"
    r"|alert|emerg)\]|\[[\w:]*(?:error|warn)\]|\bmain\.(?:CRITICAL|ERROR|WARNING|INFO|DEBUG)\b"
    r"|\b(?:request|app|php)\.(?:CRITICAL|ERROR|WARNING)\b|(?-i:Uncaught [A-Z]\w+)"
    r"|Fatal error:).*$",
    re.I,
)
QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.M)
REPLY_HEADER = re.compile(
    r"^[ \t]*(?:On .{5,120} wrote:|Le .{5,120} a écrit\s?:|-{2,} ?Original Message ?-{2,})"
    r"[ \t]*$",
    re.M,
)
LIST_MARKER = re.compile(r"^\s*(?:[-*•·–]|\d{1,2}[.)]|[a-z][.)])\s")
CODE_SIGNAL = re.compile(
    r"[{}();=<>$\[\]\\|&]|->|::|\b(?:function|return|var|const|let|def|class|import|echo|public"
    r"|private|null|true|false|SELECT|FROM|WHERE|INSERT|UPDATE)\b|^\s*(?://|#|/\*|\*)", re.M)
CODE_LINE_END = re.compile(r"[;{}]\s*$", re.M)
WORD = re.compile(r"[^\W\d_]{2,}")
PROSE_BREAK = re.compile(r"\s+[-–—|]{1,2}\s+|(?<=[.!?\]])\s+(?=[A-Za-zÀ-ÿ])")
RELATIVE_URL = re.compile(r"(?<![\w])(?:\.{0,2}/[\w\-.~%/]*)?\?[\w\-.~%\[\]]+=[^\s]*|(?<![\w.])"
                          r"(?:/[\w\-.~%]+)+/?(?=[\s?,.;:!)]|$)")
SQL = re.compile(r"(?-i:\b(?:SELECT|INSERT|UPDATE|DELETE|REPLACE)\b)[^;\n`\"]*?(?-i:\b(?:FROM|INTO|SET"
                 r"|WHERE|VALUES)\b)[^;\n`\"]*?(?=;|\.\s|[`\"]|$);?|\bselect\b[^;\n`\"]{1,200}?\bfrom\b"
                 r"[^;\n`\"]*?\bwhere\b[^;\n`\"]*?(?=;|\.\s|[`\"]|$);?")
SINGLE_QUOTED = re.compile(r"(?<![\w'])'(?=[^\s'])[^'\n]{3,300}?(?<=[^\s'])'(?![\w'])")
PLACEHOLDER = re.compile(r"(?<=[=(,])\s*\?+|\?+(?=\s*[,)])")
_SQL_WORDS = ("SELECT", "INSERT", "UPDATE", "DELETE", "REPLACE", "select")  # SQL needs one
BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
SPACE_RUNS = re.compile(r"[ \t]{2,}")


@functools.lru_cache(maxsize=16)
def strip_noise(text: str, *, keep_quoted: bool = False, drop_quoted: bool = False) -> str:
    """Return the customer's own prose, with pasted machine text removed (cached: language
    detection and question counting clean the same message)."""
    text = text.replace("\r\n", "\n")
    if "```" in text or "~~~" in text:  # each pattern runs only where its literal part occurs
        text = FENCED_CODE.sub(_fenced, text)
    if ">" in text:
        text = QUOTED_LINE.sub(_quoted_line if keep_quoted else "", text)
    if "wrote:" in text or "a écrit" in text or "Original Message" in text:
        text = REPLY_HEADER.sub("", text)
    lines = [_clean_line(line, keep_quoted, drop_quoted) for line in text.split("\n")]
    text = "\n".join(lines)
    return BLANK_RUNS.sub("\n\n", text).strip()


def looks_like_prose(text: str) -> bool:
    """Three words or more, and almost none of the brackets, operators and keywords of code."""
    words = WORD.findall(text)
    if len(words) < 3 or CODE_LINE_END.search(text):
        return False
    return len(CODE_SIGNAL.findall(text)) <= len(words) / 12


def _fenced(match: re.Match[str]) -> str:
    """A fenced block of prose is prose; of code, a paragraph break."""
    inner = match.group().strip("`~\n")
    body = inner.split("\n", 1)[1] if "\n" in inner and re.fullmatch(r"\w*", inner.split("\n")[0]) \
        else inner
    return f"\n{body}\n" if looks_like_prose(body) else "\n"


def _quoted_line(match: re.Match[str]) -> str:
    line = match.group().lstrip(" \t>")
    return line if looks_like_prose(line) else ""


def _clean_line(line: str, keep_quoted: bool = False, drop_quoted: bool = False) -> str:
    if _is_indented_code(line):
        return ""
    if LOG_LINE.match(line):
        line = _prose_after_log(line)
    # Each pattern runs only on a line holding a literal it cannot match without (the patterns
    # below are case-sensitive): the same result, without ~15 regex scans of every line.
    if "://" in line or "www." in line:
        line = URL.sub(" ", line)
    if "@" in line:
        line = EMAIL.sub(" ", line)
    if "`" in line:
        line = INLINE_CODE.sub(_inline_code, line)
    if any(word in line for word in _SQL_WORDS):
        line = SQL.sub(" ", line)
    if "<" in line:
        for pattern in (PHP_TAGS, HTML_TAG):
            line = pattern.sub(" ", line)
    quote = _keep_quote if keep_quoted else _drop_sentence_quote if drop_quoted else _drop_machine_quote
    if '"' in line or "“" in line or "«" in line:
        line = QUOTED_SPAN.sub(quote, line)
    if (drop_quoted or keep_quoted) and "'" in line:
        line = SINGLE_QUOTED.sub(quote, line)
    line = LOG_MARKER.sub(lambda found: f" {_prose_after_log(found.group())}", line)
    if ":\\" in line:
        line = WINDOWS_PATH.sub(" ", line)
    if "/" in line:
        for pattern in (UNIX_PATH, RELATIVE_PATH):
            line = pattern.sub(" ", line)
    if "\\" in line or "::" in line or "->" in line:
        line = CLASS_PATH.sub(" ", line)
    if "/" in line or "?" in line:
        line = RELATIVE_URL.sub(" ", line)
    if "?" in line:
        line = PLACEHOLDER.sub(" ", line)
    if "  " in line or "\t" in line:
        line = SPACE_RUNS.sub(" ", line)
    return line.strip()


def _prose_after_log(line: str) -> str:
    """The customer's words after a pasted log line (`... on null -- how do I fix it?`)."""
    pieces = PROSE_BREAK.split(line)
    kept: list[str] = []
    for piece in reversed(pieces[1:]):
        if not _is_plain_sentence(piece):
            break
        kept.insert(0, piece)
    return " ".join(kept)


def _is_plain_sentence(piece: str) -> bool:
    words = len(WORD.findall(piece))
    return (words >= 2 or words == 1 and piece.rstrip().endswith("?")) \
        and not MACHINE_SIGNAL.search(piece.rstrip("?!. "))


def _is_indented_code(line: str) -> bool:
    """Four spaces or a tab start a Markdown code line, unless it is a list item or prose."""
    return (line.startswith(("    ", "\t")) and not LIST_MARKER.match(line)
            and not looks_like_prose(line))


def _inline_code(match: re.Match[str]) -> str:
    inner = match.group()[1:-1]
    return f" {inner} " if looks_like_prose(inner) else " "


def _drop_machine_quote(match: re.Match[str]) -> str:
    """A quoted UI prompt or log message is not the customer's own sentence or question."""
    return " " if MACHINE_SIGNAL.search(match.group()) else match.group()


def _drop_sentence_quote(match: re.Match[str]) -> str:
    """For questions: a quoted sentence (UI message, someone's words) is not the customer's ask."""
    inner = match.group()[1:-1]
    return " " if MACHINE_SIGNAL.search(inner) or re.search(r"[.!?]\s*$", inner) else match.group()


def _keep_quote(match: re.Match[str]) -> str:
    """For the language: quoted prose is read too, quoted machine text is not."""
    inner = match.group()[1:-1]
    return match.group() if looks_like_prose(inner) else _drop_machine_quote(match)
