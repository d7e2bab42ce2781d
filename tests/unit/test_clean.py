import time

import pytest

from chalicelib.text.clean import strip_noise

PROSE = "The checkout is broken since the upgrade."

REMOVED = {
    "fenced code block": "```\n$order->getId();\nif ($x ?? null) {}\n```",
    "indented code": "    <?php echo $block->getChildHtml('delivery'); ?>",
    "tab-indented code": "\tvar total = cart.total ? cart.total : 0;",
    "timestamped log line": "[2024-03-11 02:00:01] main.CRITICAL: Invalid URL [] []",
    "ISO timestamp log line": "2024-03-11T02:00:01+00:00 ERROR cron failed",
    "PHP error_log line": "[11-Mar-2024 02:00:01 UTC] PHP Warning:  Undefined index: id",
    "PHP fatal error line": "PHP Fatal error:  Uncaught Error: Call to undefined function",
    "Apache error line": "[Wed Mar 13 09:12:44.123 2024] [php:error] [pid 2231] boom",
    "bare level line": "ERROR: could not connect to the database",
    "Java stack frame": "\tat com.shop.erp.Importer.run(Importer.java:211)",
    "JavaScript stack frame": "  at Object.initialize (checkout-address.js:45:12)",
    "PHP stack frame": "#0 /var/www/html/app/code/Vendor/Feed/Cron.php(42): Export->run()",
    "PHP stack end": "#1 {main}",
    "Python traceback header": "Traceback (most recent call last):",
    "Python frame": '  File "/opt/sync/orders.py", line 88, in export_orders',
    "Python exception line": "KeyError: 'items'",
    "qualified exception line": "requests.exceptions.ReadTimeout: read timed out",
    "quoted reply line": "> Did you run setup:upgrade?",
    "reply header": "On Mon, 4 Mar 2024 at 10:14, Support <support@vendor.com> wrote:",
    "French reply header": "Le 12 mars 2024 à 10:14, Support <support@module.fr> a écrit :",
}


@pytest.mark.parametrize("noise", REMOVED.values(), ids=REMOVED.keys())
def test_machine_lines_become_a_paragraph_break_between_the_prose(noise):
    assert strip_noise(f"{PROSE}\n{noise}\nThanks.") == f"{PROSE}\n\nThanks."


INLINE = [
    ("a URL with a query string", "See https://shop.example.com/search?q=red&p=2 now.", "See now."),
    ("a URL but not the question mark ending the sentence",
     "Can you check https://shop.example.com/cart?", "Can you check ?"),
    ("a www URL", "See www.example.com/page?id=3 now.", "See now."),
    ("an e-mail address", "Write to billing@my-shop.co.uk today.", "Write to today."),
    ("inline code", "The `isAvailable()` call fails.", "The call fails."),
    ("a Unix path", "Edit /var/www/html/app/etc/env.php now.", "Edit now."),
    ("a relative path", "Edit app/etc/config.php now.", "Edit now."),
    ("a Windows path", r"Open C:\xampp\htdocs\index.php now.", "Open now."),
    ("a PHP class name", r"The Magento\Catalog\Model\Product class fails.", "The class fails."),
    ("a quoted log message", 'It says "Call to a member function getId() on null" here.',
     "It says here."),
    ("a quoted UI prompt with a question mark", 'The popup "Are you sure?" stays.',
     "The popup stays."),
    ("an inline SQLSTATE error to the end of the line",
     "Installing gives SQLSTATE[42S02]: Base table not found", "Installing gives"),
    ("an HTML tag", "Add <div class=\"note\"> to the page.", "Add to the page."),
]


@pytest.mark.parametrize(("text", "expected"), [c[1:] for c in INLINE], ids=[c[0] for c in INLINE])
def test_inline_noise_is_removed(text, expected):
    assert strip_noise(text) == expected


KEPT = {
    "a quoted UI label": 'Click the "Add to cart" button.',
    "French guillemets around a label": "Cliquez sur « Enregistrer » puis validez.",
    "French spacing before a question mark": "Pouvez-vous m'aider\u00a0?",
    "and/or and version ranges": "It fails on 2.4.6 and/or 2.4.7 for 24/7 stores.",
    "a list item indented four spaces": "    - can I install it with composer?",
}


@pytest.mark.parametrize("text", KEPT.values(), ids=KEPT.keys())
def test_customer_prose_is_kept(text):
    assert strip_noise(text) == text.strip()


def test_blank_line_runs_left_by_removed_blocks_collapse_to_one_paragraph_break():
    text = "Hello.\n\n```\ncode\n```\n\n\n> quoted\n\nBye."
    assert strip_noise(text) == "Hello.\n\nBye."


def test_an_unclosed_code_fence_runs_to_the_end_of_the_message():
    assert strip_noise(f"{PROSE}\n```php\n$order->getId();\nWhy?") == PROSE


@pytest.mark.parametrize(
    "token", ["a" * 50_000, "a." * 25_000, '"' + "x" * 50_000, "a-" * 25_000, "a@" * 25_000],
    ids=["letters", "dotted", "open quote", "hyphens", "at signs"],
)
def test_one_huge_token_is_cleaned_in_linear_time(token):
    started = time.perf_counter()
    strip_noise(token)
    assert time.perf_counter() - started < 1.0
