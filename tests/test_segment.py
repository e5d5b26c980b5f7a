import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from audio.segment import sentences, split_long


def collapsed(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize(
    "paragraph, expected",
    [
        ("He left. She stayed.", ["He left.", "She stayed."]),
        ("Mr. Smith met Dr. Jones on St. Mark St. today. Then he left.",
         ["Mr. Smith met Dr. Jones on St. Mark St. today.", "Then he left."]),
        ("The U.S. economy grew in Jan. 2020 by 3.5 per cent. Others shrank.",
         ["The U.S. economy grew in Jan. 2020 by 3.5 per cent.", "Others shrank."]),
        ("J.R.R. Tolkien wrote books, e.g. The Hobbit, which was No. 5 on the list. Next.",
         ["J.R.R. Tolkien wrote books, e.g. The Hobbit, which was No. 5 on the list.", "Next."]),
        ("Is it? Yes! It is.", ["Is it?", "Yes!", "It is."]),
        ("He said “Go now.” Then he went.", ["He said “Go now.”", "Then he went."]),
        ("  Lots   of\nspace.   Here.  ", ["Lots of space.", "Here."]),
        ("No full stop at the end", ["No full stop at the end"]),
        ("", []),
        ("   \n ", []),
    ],
)
def test_sentences(paragraph, expected):
    assert sentences(paragraph) == expected


def test_other_languages_use_their_rules_and_unknown_ones_fall_back_to_english():
    assert sentences("Der Hund bellt. Die Katze schläft.", "de") == ["Der Hund bellt.", "Die Katze schläft."]
    assert sentences("Olá mundo. Tudo bem?", "pt-BR") == ["Olá mundo.", "Tudo bem?"]
    assert sentences("Mr. Smith left. He was late.", "en-GB") == ["Mr. Smith left.", "He was late."]


prose = st.lists(
    st.sampled_from(["Mr.", "Dr.", "U.S.", "e.g.", "word", "Word.", "it?", "yes!", "3.5", "“Quote.”", "…", "\n", "  "]),
    max_size=40,
).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(prose)
def test_sentences_lose_and_duplicate_nothing(paragraph):
    pieces = sentences(paragraph)
    assert collapsed(" ".join(pieces)) == collapsed(paragraph)
    assert all(piece == piece.strip() and piece for piece in pieces)


def test_short_sentence_is_left_whole():
    assert split_long("A short one.", 250) == ["A short one."]


def test_split_prefers_clause_punctuation_to_commas_and_commas_to_spaces():
    sentence = "The first part runs on for a while; the second part, which is longer, follows it"
    assert split_long(sentence, 60) == ["The first part runs on for a while;",
                                        "the second part, which is longer, follows it"]
    sentence = "One two three four five six, seven eight nine ten eleven twelve"
    assert split_long(sentence, 40) == ["One two three four five six,", "seven eight nine ten eleven twelve"]


def test_split_before_a_conjunction_when_there_is_no_punctuation():
    sentence = "The committee met for many hours in the hall and the members argued about the budget"
    assert split_long(sentence, 60) == ["The committee met for many hours in the hall",
                                        "and the members argued about the budget"]


def test_split_at_dashes():
    sentence = "Two leaders were arrested in the capital – a journalist and a lawyer – for plotting"
    assert split_long(sentence, 50)[0] == "Two leaders were arrested in the capital –"


def test_pieces_are_about_even():
    sentence = " ".join(["word"] * 120)  # 599 characters: three pieces of about 200, not 250+250+99
    lengths = [len(piece) for piece in split_long(sentence, 250)]
    assert len(lengths) == 3 and max(lengths) - min(lengths) < 20


def test_huge_sentence_without_punctuation():
    sentence = " ".join(f"w{i % 97}" for i in range(5000))  # about 20,000 characters
    pieces = split_long(sentence, 250)
    assert all(len(piece) <= 250 for piece in pieces)
    assert " ".join(pieces) == sentence


def test_a_word_longer_than_the_limit_is_cut_inside_as_last_resort():
    pieces = split_long("x" * 1000, 300)
    assert "".join(pieces) == "x" * 1000 and all(len(piece) <= 300 for piece in pieces)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["alpha", "be,", "c;", "and", "—", "which", "delta:", "e"]), max_size=200)
       .map(" ".join), st.integers(min_value=8, max_value=120))
def test_split_long_loses_nothing_and_respects_the_limit(sentence, max_chars):
    pieces = split_long(sentence, max_chars)
    assert collapsed(" ".join(pieces)) == collapsed(sentence)
    assert all(0 < len(piece) <= max_chars for piece in pieces)


def test_a_quotation_of_several_sentences_is_cut_where_its_sentences_end():
    quoted = ('"We waited for the whole of the long afternoon in the square near the old station, then we '
              'walked home. Nobody had told us anything at all about the delay," she said.')
    assert split_long(quoted, 120) == [
        '"We waited for the whole of the long afternoon in the square near the old station, then we walked home.',
        'Nobody had told us anything at all about the delay," she said.']


def test_an_abbreviation_is_not_taken_for_the_end_of_a_sentence():
    sentence = ("The long report on the coast was written over many months by Mr. Smith of the U.S. Geological "
                "Survey with Dr. Jones and Gen. Brown of Acme Corp. Limited in a small hut near the sea")
    for max_chars in range(60, 140, 5):
        pieces = split_long(sentence, max_chars)
        assert not any(piece.endswith(("Mr.", "U.S.", "Dr.", "Gen.", "Corp.")) for piece in pieces), pieces


def test_one_more_piece_rather_than_a_cut_between_two_words_of_a_clause():
    # No clause break lies where two even pieces would meet; a conjunction further on does.
    sentence = ("Officials said that the long awaited report on the harbour and its aging cranes would be "
                "published soon or perhaps after the summer recess of the council")
    pieces = split_long(sentence, 90)
    assert all(len(piece) <= 90 for piece in pieces)
    assert all(piece.split()[0] in ("Officials", "and", "or", "but") for piece in pieces), pieces
