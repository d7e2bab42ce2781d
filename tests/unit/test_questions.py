import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chalicelib.text.questions import QuestionCount, count_questions

NBSP, NARROW_NBSP = "\u00a0", "\u202f"

ENGLISH = [
    ("a sentence ending in a question mark is one question", "How can I fix this?", 1),
    ("a statement is not a question", "The module works fine, thank you.", 0),
    ("?? and ?! count once", "Is it GDPR compliant?? Why is it so slow?! Answer me.", 2),
    ("a wh-question without a question mark counts", "How can I disable the popup", 1),
    ("an aux-subject question without a question mark counts", "Do you have a changelog", 1),
    ("a contraction opener counts", "What's the best way to migrate the settings", 1),
    ("how to counts as a question", "how to add a custom field to the checkout", 1),
    ("a statement starting with how does not count", "How it works is fine.", 0),
    ("a statement starting with what does not count", "What I need is a refund.", 0),
    ("a when-clause statement does not count", "When I click Save the page reloads.", 0),
    ("an exclamation does not count", "What a mess!", 0),
    ("could not is a statement", "Could not connect to the API.", 0),
    ("have a nice day is not a question", "Have a nice day.", 0),
    ("an introduction ending in a colon does not count", "Could you help me with this:", 0),
    ("an indirect question counts", "I would like to know whether it supports MSI.", 1),
    ("we need to know is not a question", "We need to know before Friday.", 0),
    ("let me know if you need is not a question", "Let me know if you need FTP access.", 0),
    ("coordinated wh clauses count each", "How do I install it and how do I configure it?", 2),
    ("A or B? is one question (issue 16)", "Does it work with WooCommerce or do I need Pro?", 1),
    ("alternatives inside one clause count once", "Can I use it on Magento 2.3 or 2.4?", 1),
    ("a question after a colon counts", "Before I buy: does it support PHP 8.3", 1),
    ("a pleasantry is not a question", "Hi Anna, how are you? Can you send the invoice?", 1),
    ("greetings and attention-getters are not questions", "Hello?? Is anyone there??", 0),
    ("a question mark in a URL query string does not count",
     "The feed https://shop.com/feed?key=8f7a&lang=en times out.", 0),
    ("a question mark right after a URL ends a question",
     "Can you check https://shop.com/index.php?id=12? The price is 0.", 1),
    ("a question mark inside code does not count", "```\n$a = $b ?? $c;\n```\nIt fails.", 0),
    ("a question mark in a quoted log does not count",
     "[2024-03-11 02:00:01] main.CRITICAL: amount=?? [] []\nRates are stale.", 0),
    ("a quoted UI prompt is not the customer's question",
     'The popup "Are you sure you want to delete this rule?" appears.', 0),
    ("quoted reply lines are not counted", "> Did you clear the cache?\nYes I did.", 0),
    ("each question item of a numbered list counts",
     "Questions:\n1. Does it support 2.4.7?\n2. Is it Hyva ready?\n3. Can I get a trial?", 3),
    ("bulleted items without question marks count",
     "- how do I enable the debug log\n- where are the logs stored", 2),
    ("a list of steps is not a list of questions",
     "1. Installed the module\n2. Flushed the cache\nWhat did I miss?", 1),
    ("a hard-wrapped question counts once",
     "How can I change the colour of the add to cart button on the mobile version of\n"
     "the product page? I tried the CSS option.", 1),
    ("short lines stay separate sentences", "hi\ni cant find my licence\ncan u help", 1),
    ("five questions are five", "Is it fast? Is it safe? Is it cheap? Is it open? Is it new?", 5),
    ("a plea for help is a request", "PLEASE HELP ASAP", 1),
    ("an imperative request counts", "Send me the invoice for order 10023.", 1),
    ("need help counts", "I need help with the shipping module", 1),
    ("a request then a question count two", "Please check my logs. Why does the cron stop?", 2),
    ("please find attached is a courtesy", "Please find attached the screenshot.", 0),
    ("have a nice day stays a pleasantry", "Thanks, have a nice day!", 0),
    ("steps to reproduce are not requests",
     "Steps:\n1. Add a product\n2. Remove the coupon\nThe total is wrong. Why?", 1),
    ("a rhetorical question counts 0", "Seriously? The import fails again. How do I fix it?", 1),
    ("questions joined by commas count each",
     "How do I install it, how do I configure it, how do I remove it?", 3),
    ("questions joined by semicolons count each", "Is it paid; is it open source?", 2),
    ("a framing clause is not a question of its own",
     "Can you tell me, is it compatible with PHP 8.2?", 1),
    ("a fullwidth question mark counts", "Is it compatible with PHP 8.2？", 1),
    ("a relative URL query string does not count", "The page /checkout/?step=2 is blank.", 0),
    ("SQL placeholders do not count", "The query UPDATE orders SET x = ? WHERE id = ? fails.", 0),
    ("prose after a log on the same line is kept",
     "PHP Fatal error: Uncaught Error: Call to a member function getId() on null -- why?", 1),
    ("a quoted UI sentence is not a request", 'It says "Please refresh the page." on save.', 0),
    ("a greeting without a comma does not hide the request",
     "Hello I need help the module does not work", 1),
    ("a run-on without punctuation counts each request",
     "hi my order 1234 has not arrived can you check where it is and also tell me when the refund is done", 2),
    ("a run-on question after a statement counts",
     "is it possible to have the banner on mobile also how do i change the text", 2),
    ("an indirect if-clause is not split off", "I was wondering if you can help", 1),
    ("a generic help request before the real question counts 0",
     "Hi, can you help me? Where is the export button?", 1),
    ("a generic help request alone still counts", "Can you help me?", 1),
    ("a restated question counts once", "Where is the changelog? I mean, where can I read what changed in 2.1?", 1),
    ("who wrote this is rhetorical", "Who wrote this code? The cart is empty after login.", 0),
    ("why do I even bother is rhetorical", "Why do I even bother. Nobody answers.", 0),
    ("I need the X is a request", "I need the invoice for order 4411.", 1),
    ("a sentence ending in please is a request", "Reset my licence domain please.", 1),
    ("wondering if counts", "wondering if it works with Hyva", 1),
    ("items under an ask frame count each", "I'd like answers to:\n1) is PHP 8.3 supported\n2) is there a trial", 2),
    ("a list of steps after a colon is still not asks", "Steps:\n1) open the cart\n2) apply the coupon", 0),
    ("inline numbered asks after please count each",
     "Please: 1) send me the invoice 2) reset my domain 3) confirm my support period", 3),
    ("separate whether clauses count each",
     "Could you tell me whether it supports MSI, whether it has an API and whether it is GDPR ready?", 3),
    ("a run-on known-issue question splits",
     "the export fails for every order is it a known issue and when can we expect a fix", 2),
    ("inverted question marks open questions", "¿Is there a trial ¿Can I change the colours", 2),
    ("a thank-you padded with question marks asks nothing", "? ? Thanks for the fix, all good now ? ?", 0),
    ("advise on N points counts each",
     "please advise on two points: how to set the tax class and whether the module handles refunds", 2),
]

FRENCH = [
    ("a question mark after a non-breaking space counts", f"Pouvez-vous m'aider{NBSP}?", 1),
    ("a narrow non-breaking space counts too", f"Pourquoi est-ce lent{NARROW_NBSP}?", 1),
    ("an ordinary space before the question mark counts", "Est-ce normal ?", 1),
    ("est-ce que without a question mark counts", "Est-ce que le module gère PHP 8", 1),
    ("an inverted verb without a question mark counts", "Faut-il vider le cache", 1),
    ("y a-t-il counts", "Y a-t-il une documentation en français", 1),
    ("an inversion after a noun subject counts", "Le module gère-t-il les packs", 1),
    ("a wh-word opener counts", "Comment faire pour exporter les commandes", 1),
    ("quand followed by a subject is a statement", "Quand je clique, rien ne se passe.", 0),
    ("quand followed by a verb is a question", "Quand sortira la version 2", 1),
    ("an imperative request counts (issue 16)", "Envoyez-nous la facture svp.", 1),
    ("merci de + verb is a request", "Merci de m'envoyer la facture.", 1),
    ("merci de votre aide is thanks", "Merci de votre aide.", 0),
    ("je voudrais savoir si counts", "Je voudrais savoir si le module gère les packs", 1),
    ("j'ai besoin d'aide counts", "J'ai besoin d'aide avec le module", 1),
    ("c'est une blague is rhetorical", "C'est une blague ? Ça ne marche toujours pas.", 0),
    ("attention-getter in French counts 0", "Il y a quelqu'un ?", 0),
    ("A ou B ? counts 1", "Faut-il la version 2 ou la version 3 ?", 1),
    ("an exclamation with quel is not a question", "Quel dommage !", 0),
    ("qui plus est is not a question", "Qui plus est, rien n'est traduit.", 0),
    ("an indirect question counts", "Je voudrais savoir si le module gère les avoirs.", 1),
    ("coordinated questions count each", "Comment l'installer et comment le configurer ?", 2),
    ("coordinated inversions count each", "Est-il compatible et marche-t-il avec Warehouse ?", 2),
    ("a French pleasantry is not a question", "Bonjour, comment allez-vous ? Que faire ?", 1),
    ("French guillemets around a UI prompt are not a question",
     "Le message « Voulez-vous supprimer ? » s'affiche.", 0),
    ("an inversion typed without its hyphen counts",
     "bonjour pouvez vous me dire comment activer le module merci", 1),
    ("a run-on French request after a statement counts",
     "le bloc ne s'affiche plus depuis hier pourriez vous regarder", 1),
    ("pouvez-vous m'aider before the real question counts 0",
     "Pouvez-vous m'aider ? Où se trouve le fichier de log ?", 1),
    ("je veux dire restates the question", "Où est la facture ? Enfin je veux dire, où puis-je la télécharger ?", 1),
    ("qui a codé ça is rhetorical", "Qui a codé ça ?? Le panier se vide.", 0),
    ("j'ai besoin de la facture is a request", "J'ai besoin de la facture de la commande 5512.", 1),
    ("je vous remercie de bien vouloir is a request", "Je vous remercie de bien vouloir résilier mon abonnement.", 1),
    ("svp at the end of a clause is a request", "Le lien a expiré, un nouveau lien svp", 1),
    ("vous savez d'où counts", "Le flux ne se met plus à jour, vous savez d'où ça vient", 1),
    ("inversions typed without the hyphen count each", "le code est il crypté, peut on l'utiliser en préprod", 2),
    ("merci de A, de B et de C counts three",
     "Merci de m'envoyer la facture, de m'indiquer la date de sortie et de me confirmer le prix.", 3),
    ("est-ce possible de A et de B counts once", "Est-ce possible de changer le logo et de modifier le pied de page ?", 1),
    ("items under j'aimerais savoir count each", "j'aimerais savoir :\n- si PHP 8.3 est supporté\n- si le prix va changer", 2),
    ("si A et si B count each", "je voudrais savoir si le module gère les packs et si il est traduit", 2),
]


def _table(cases):
    return pytest.mark.parametrize(
        ("text", "expected"), [case[1:] for case in cases], ids=[case[0] for case in cases]
    )


@_table(ENGLISH)
def test_english_questions_are_counted(text, expected):
    assert count_questions(text, "en").count == expected


@_table(FRENCH)
def test_french_questions_are_counted(text, expected):
    assert count_questions(text, "fr").count == expected


def test_without_a_language_both_pattern_sets_apply():
    assert count_questions("Can you send the invoice. Faut-il vider le cache").count == 2


def test_the_evidence_lists_one_item_per_counted_question():
    assert count_questions("Hello. Is it fast? How do I install it and how do I run it?") == (
        QuestionCount(3, ("Is it fast?", "How do I install it", "how do I run it"))
    )


LABELLED = Path(__file__).resolve().parents[1] / "data" / "questions.jsonl"


def test_the_labelled_inbox_sample_keeps_at_least_95_percent_exact_counts():
    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    exact = sum(count_questions(r["text"], r["lang"]).count == r["questions"] for r in rows)
    assert exact / len(rows) >= 0.95


QUESTION_LIKE_CHARACTERS = "Howcan I?¿!. \n\u00a0-:1>`\"«»/et ou and"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(QUESTION_LIKE_CHARACTERS), max_size=200))
def test_any_text_gets_a_count_backed_by_as_many_evidence_items(text):
    counted = count_questions(text)
    assert counted.count == len(counted.questions) >= 0
