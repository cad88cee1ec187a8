"""The fast paths give exactly what the slow ones give: normalize() (one translate pass) what the
character walk gives, fold() (the characters it changes, found by a scan) what folding every
character gives."""
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.evaluate import facts
from pipeline.text.normalize import _normalize_slow, fold, fold_char, normalize


def _same(text: str) -> None:
    a, b = normalize(text), _normalize_slow(text)
    assert (a.text, list(a.starts), list(a.ends)) == (b.text, list(b.starts), list(b.ends)), text


def test_on_every_corpus_text():
    for c in facts.load_corpus(facts.DEV) + facts.load_corpus(facts.CORPUS / "facts-dev2"):
        _same(c["title"])
        for line in c["body"].splitlines():
            _same(line)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("区塊鏈產業園１２３ａ ，。、：\u3000\u200b㎡年月日57.-") + ["\n", "\t"]),
               max_size=40))
def test_on_any_text(text):
    _same(text)


def _folded(text: str) -> str:
    # the definition, character by character
    return "".join("".join(map(fold_char, text)).split()).lower()


def test_fold_on_every_corpus_text():
    for c in facts.load_corpus(facts.DEV) + facts.load_corpus(facts.CORPUS / "facts-dev2"):
        for text in (c["title"], c["body"]):
            assert fold(text) == _folded(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("区块链產業園鏈１２３ａＡ ，。、：\u3000\u200b㎡年月日57.-ﬁ") + ["\n"]),
               max_size=60))
def test_fold_on_any_text(text):
    assert fold(text) == _folded(text)
