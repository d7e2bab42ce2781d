"""Remove machine text (code, logs, traces, URLs, quotes) from a customer message.

Language detection and question counting must judge what the customer wrote, not the
English log or the `?` of a query string they pasted. Whole lines that are machine text
become empty lines, so paragraph breaks survive for sentence splitting.
"""

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
BLANK_RUNS = re.compile(r"\n[ \t]*(?:\n[ \t]*)+")
SPACE_RUNS = re.compile(r"[ \t]{2,}")


def strip_noise(text: str) -> str:
    """Return the customer's own prose, with pasted machine text removed."""
    text = text.replace("\r\n", "\n")
    text = FENCED_CODE.sub("\n", text)
    text = QUOTED_LINE.sub("", text)
    text = REPLY_HEADER.sub("", text)
    lines = [_clean_line(line) for line in text.split("\n")]
    text = "\n".join(lines)
    return BLANK_RUNS.sub("\n\n", text).strip()


def _clean_line(line: str) -> str:
    if _is_indented_code(line) or LOG_LINE.match(line):
        return ""
    for pattern in (URL, EMAIL, INLINE_CODE, PHP_TAGS, HTML_TAG):
        line = pattern.sub(" ", line)
    line = QUOTED_SPAN.sub(_drop_machine_quote, line)
    for pattern in (LOG_MARKER, WINDOWS_PATH, UNIX_PATH, RELATIVE_PATH, CLASS_PATH):
        line = pattern.sub(" ", line)
    return SPACE_RUNS.sub(" ", line).strip()


def _is_indented_code(line: str) -> bool:
    """Four spaces or a tab start a Markdown code line, unless it is a nested list item."""
    return line.startswith(("    ", "\t")) and not LIST_MARKER.match(line)


def _drop_machine_quote(match: re.Match[str]) -> str:
    """A quoted UI prompt or log message is not the customer's own sentence or question."""
    return " " if MACHINE_SIGNAL.search(match.group()) else match.group()
