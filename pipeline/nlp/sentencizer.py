"""`probation_sentencizer`: sentence boundaries for case notes as they are written.

Real notes have bullet lists, headings ("Risk:", "Plan"), pasted e-mails, notes in
capitals and notes with no full stops at all. A boundary is placed:
- after a line break (a bullet, a heading or a new line of an e-mail);
- after `.`, `!` or `?` followed by a space ("?pregnant" stays one sentence; dates like
  12.03.24 and "e.g." are single tokens already);
- before a bullet marker ("-", "*", "•", "1.") that opens a line.
"""

from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

BULLETS = {"-", "*", "•", "·", "–", "—", ">", "o"}
ENDERS = {".", "!", "?", "..."}
NUMBERED = re.compile(r"^\d{1,2}[.)]$")  # a list number ("1." or "1)")


@Language.factory("probation_sentencizer", default_config={"split_on_newline": True})
def make_sentencizer(nlp: Language, name: str, split_on_newline: bool):
    return ProbationSentencizer(split_on_newline=split_on_newline)


class ProbationSentencizer:
    """Set `is_sent_start` on every token (see module docstring for the rules)."""

    def __init__(self, split_on_newline: bool = True):
        self.split_on_newline = split_on_newline

    def __call__(self, doc: Doc) -> Doc:
        prev_word = None  # last non-space token
        newline = False  # a line break since prev_word
        bullet_number = -1  # index of a "1" that opens a line ("1. Will request SFGC")
        for token in doc:
            if token.is_space:
                token.is_sent_start = prev_word is None
                newline = newline or "\n" in token.text
                continue
            line_start = prev_word is None or newline
            if prev_word is None:
                token.is_sent_start = True
            elif newline and self.split_on_newline:
                token.is_sent_start = True
            elif (prev_word.text in ENDERS or prev_word.text.endswith("..")) and prev_word.whitespace_:
                after_bullet = prev_word.i == bullet_number + 1
                token.is_sent_start = not after_bullet and not (token.is_punct and token.text not in BULLETS)
            else:
                token.is_sent_start = False
            if line_start and NUMBERED.match(token.text + "."):
                bullet_number = token.i
            prev_word, newline = token, False
        return doc
