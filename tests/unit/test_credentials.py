import json
from pathlib import Path

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from chalicelib.text.credential_patterns import is_non_value
from chalicelib.text.credentials import find_credentials, redact
from evaluation.credentials_eval import labelled, score

LABELLED = Path(__file__).resolve().parents[1] / "data" / "credentials.jsonl"
PLACEHOLDER_1 = "[redacted credential #1]"


def _values(text: str) -> list[str]:
    return [found.value for found in find_credentials(text)]


# Free-text support messages written for this test (the outside cases stay with `make eval`).
FREE_TEXT = [
    ("Hello, the checkout page is blank since yesterday. Can you have a look?", False),
    ("You can log in to the back office with user support_tw and password Kx8!pQ2z", True),
    ("I reset my password twice and still cannot reach the admin panel.", False),
    ("Our staging FTP: host ftp.shop-demo.example, login deploy, pass 7hb#Qm2Lw", True),
    ("The module asks for an API key but the field in the settings is greyed out.", False),
    ("Here is the Stripe key from the config: sk_live_4eC39HqLyjWDarjtT1zdp7dcXw", True),
    ("Bonjour, le module ne s'affiche plus depuis la mise à jour, pouvez-vous m'aider ?", False),
    ("Bonjour, accès admin : identifiant gerant_boutique, mot de passe Lilas-2026!", True),
    ("Which password should the cron user have? The docs do not say.", False),
    ("The SMTP test fails with: 535 Authentication failed (password: YES)", False),
    ("Token for the webhook test: ghp_9a8B7c6D5e4F3g2H1i0JkLmNoPqRsTuVwXyZ", True),
    ("Order 1042 was paid twice with the same card, please refund one of them.", False),
]


@pytest.mark.parametrize("text, holds_secret", FREE_TEXT, ids=lambda v: str(v)[:40])
def test_free_text_messages_are_flagged_exactly_when_they_hold_a_secret(text, holds_secret):
    assert bool(find_credentials(text)) == holds_secret


@pytest.mark.parametrize(
    "text, secrets",
    [
        pytest.param("The password is hunter2", ["hunter2"], id="the password is hunter2"),
        pytest.param("my ftp login is bob and password is s3cret", ["bob", "s3cret"],
                     id="an ftp login and its password in one sentence"),
        pytest.param("the password for the ftp account is Orange-Tree-17", ["Orange-Tree-17"],
                     id="a password qualified by the account it opens"),
        pytest.param("Please log in as shopmanager with password 'blue horse 42'.",
                     ["shopmanager", "blue horse 42"], id="a quoted password keeps its spaces"),
        pytest.param("user mage_rw, pwd Zx9#mm41", ["mage_rw", "Zx9#mm41"],
                     id="user and pwd without separators"),
        pytest.param("DB_PASSWORD=m4g3nt0_db_2023 in the .env", ["m4g3nt0_db_2023"],
                     id="a config variable holding a password"),
        pytest.param("'username' => 'mage_user', 'password' => 'Gf5#kL0p'",
                     ["mage_user", "Gf5#kL0p"], id="a magento env.php array"),
        pytest.param("pw: Falcon!88.", ["Falcon!88"], id="sentence punctuation is not part of it"),
    ],
)
def test_english_prose_credentials_are_found(text, secrets):
    assert _values(text) == secrets


@pytest.mark.parametrize(
    "text, secrets",
    [
        pytest.param("le mot de passe est Azerty123!", ["Azerty123!"], id="le mot de passe est"),
        pytest.param("mdp : Soleil2023#", ["Soleil2023#"], id="mdp with french spacing"),
        pytest.param("Mon login FTP est jmartin et le mdp est Pain_Au_Chocolat9",
                     ["jmartin", "Pain_Au_Chocolat9"], id="a login and a mdp in one sentence"),
        pytest.param("Le mot de passe de l'admin est « Printemps 2024 ».", ["Printemps 2024"],
                     id="a password in guillemets"),
        pytest.param("Voici mes identifiants : contact_shop / Lavande!45",
                     ["contact_shop", "Lavande!45"], id="identifiants as login slash password"),
        pytest.param("identifiant marie.l@atelier-cuir.fr et mot de passe Cuir&Co2023",
                     ["marie.l@atelier-cuir.fr", "Cuir&Co2023"], id="an e-mail login before mdp"),
        pytest.param("le mdp c'est Marseille13, merci", ["Marseille13"], id="le mdp c'est"),
    ],
)
def test_french_prose_credentials_are_found(text, secrets):
    assert _values(text) == secrets


@pytest.mark.parametrize(
    "text, secret",
    [
        pytest.param("ftp://shop:Tr0ub4dor&3@ftp.example.com/www", "shop:Tr0ub4dor&3", id="ftp"),
        pytest.param("https://admin:Ete2024!@preprod.maboutique.fr", "admin:Ete2024!", id="https"),
    ],
)
def test_userinfo_in_urls_is_found(text, secret):
    assert _values(text) == [secret]


def test_a_multi_line_block_yields_login_and_password_but_not_host():
    text = "Host: ftp.example.com\nUser: shop\nPassword: x"
    assert [(f.kind, f.value) for f in find_credentials(text)] == [
        ("username", "shop"),
        ("password", "x"),
    ]


@pytest.mark.parametrize(
    "text, kind",
    [
        pytest.param("key AKIAIOSFODNN7EXAMPLQ", "api_key", id="aws access key id"),
        pytest.param("ghp_R8s2Kd9LmQ4wXz7Vb1Nc6Tp3Hy5Jf0Ga2EeU", "token", id="github token"),
        pytest.param("xoxb-2749183746-5018273645019-aB3dE5fG7hJ9", "token", id="slack token"),
        pytest.param("sk_live_51HxQmTKc2VhP0aB9dEfGhIjKlM", "api_key", id="stripe secret key"),
        pytest.param("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.kX3n0bQvS4-Rm7pZt9Yw", "token",
                     id="jwt"),
        pytest.param("-----BEGIN RSA PRIVATE KEY-----\nMIIEpAIBAAKCAQEA3Tz2\n"
                     "-----END RSA PRIVATE KEY-----", "private_key", id="private key block"),
        pytest.param("api key: 9f8e7d6c5b4a39281706f5e4d3c2b1a0", "api_key", id="labelled api key"),
        pytest.param("Clé API Mondial Relay : 8H3kL9pQ2wX7zR4mN6vB1cT5", "api_key", id="clé api"),
    ],
)
def test_token_shapes_are_found_with_their_kind(text, kind):
    assert [f.kind for f in find_credentials(text)] == [kind]


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("I forgot my password", id="forgot my password"),
        pytest.param("The password reset link does not work.", id="password reset link"),
        pytest.param("the password field is empty", id="password field is empty"),
        pytest.param("The password is wrong since the update.", id="password is wrong"),
        pytest.param("Password: required field", id="password colon required"),
        pytest.param("Mot de passe oublié : le mail n'arrive pas", id="mot de passe oublié"),
        pytest.param("Le mdp est le même que celui du FTP.", id="le mdp est le même"),
        pytest.param("Access denied for user 'mage'@'localhost' (using password: YES)",
                     id="mysql access denied message"),
        pytest.param("Order #4f9a2c81e7b34d5c9a0f3e6d2b1c8a7f failed", id="long hex order id"),
        pytest.param("My login is bob_parts but I lost the password.", id="a login alone"),
        pytest.param("Where do I enter the API key?", id="api key without a value"),
        pytest.param("https://url:8000/ @something else", id="a port is not a password"),
    ],
)
def test_ordinary_support_sentences_are_not_credentials(text):
    assert find_credentials(text) == ()


def test_redaction_numbers_secrets_and_leaves_every_other_byte_alone():
    text = "Hi,\nUser: shop\nPassword: x9!\nThanks, Léa"
    assert redact(text).text == (
        "Hi,\nUser: [redacted credential #1]\nPassword: [redacted credential #2]\nThanks, Léa"
    )


def test_redaction_continues_numbering_after_placeholders_already_there():
    assert redact(f"mdp : {PLACEHOLDER_1}\npwd: Zx9#mm41").text.endswith("#2]")


def test_labels_say_what_introduced_a_secret_and_never_contain_it():
    found = find_credentials("FTP password: Kq7!vR2mZp\nlogin admin : gerant2 - mdp : G#2024")
    assert [f.label for f in found] == ["FTP password", "login admin", "mdp"]
    assert all(f.value not in f.label for f in found)


SECRETS = st.text(st.characters(blacklist_categories=("Z", "C")), min_size=6, max_size=40)
URL_SAFE_SECRETS = st.text(
    st.sampled_from("abcXYZ0189-._~!$&()*+,;=%"), min_size=6, max_size=40
)
TEMPLATES = [
    "FTP password: {}",
    "Host: ftp.example.com\nUser: shop\nPassword: {}",
    "Identifiant : shop\nMot de passe : {}\nMerci",
    "mdp={} (admin)",
]


@given(template=st.sampled_from(TEMPLATES), secret=SECRETS)
def test_a_labelled_secret_never_survives_redaction_and_redaction_is_idempotent(template, secret):
    _assert_redacted_once_and_for_all(template.format(secret), template, secret)


@given(secret=URL_SAFE_SECRETS)
def test_a_url_password_never_survives_redaction(secret):
    template = "ftp://shop:{}@ftp.example.com/www"
    _assert_redacted_once_and_for_all(template.format(secret), template, secret)


def _assert_redacted_once_and_for_all(text, template, secret):
    assume(secret not in template.format(PLACEHOLDER_1))
    assume(not is_non_value(secret))  # "password: MISSING" says there is none, by design
    once = redact(text)
    assert secret not in once.text
    assert find_credentials(once.text) == ()
    assert redact(once.text).text == once.text


FRAGMENTS = ["password", "mot de passe", "mdp", "user", "identifiant", "login", "token", "api key",
             "://", "@", ":", "=", " / ", " is ", " est ", "'", "«", " ", "\n", "_", ".", "ab12!",
             "shop", "9f8e7d6c5b4a39281706f5e4d3c2b1a0", "xoxb-12345678901", "eyJhbGciOi.eyJzdWIi.",
             "-----BEGIN RSA PRIVATE KEY-----", "[redacted credential #1]"]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=25).map("".join))
def test_findings_are_ordered_disjoint_exact_and_redaction_is_idempotent(text):
    found = find_credentials(text)
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))
    assert all(text[f.start : f.end] == f.value != "" for f in found)
    once = redact(text).text
    assert redact(once).text == once


def test_the_labelled_set_is_big_enough_and_each_secret_is_in_its_text_once():
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 120
    assert sum(row["lang"] == "fr" for row in rows) >= 40
    assert sum(not row["secrets"] for row in rows) >= 40
    assert all(row["text"].count(s) == 1 for row in rows for s in row["secrets"])


def test_the_labelled_set_stays_above_its_measured_floors():
    result = score(labelled())
    assert not result.false_positive_refs
    assert result.true_positives / result.positives >= 0.90
    assert result.secrets_gone / result.secrets >= 0.88
